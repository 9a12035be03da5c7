// Request context, replies, GitHub-shaped errors and Link-header pagination.
import type { State, TokenRec } from './state.js';

export interface Ctx {
  state: State;
  method: string;
  /** Decoded path parameters. */
  params: Record<string, string>;
  query: URLSearchParams;
  // Request bodies are whatever the client sent; handlers validate what they read.
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  token: TokenRec;
  /** The request URL (pathname + search) as received. */
  url: URL;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send this text instead of JSON. */
  text?: string;
}

export type Handler = (ctx: Ctx) => Reply;

const DOCS = 'https://docs.github.com/rest';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
    readonly docs = DOCS,
  ) {
    super(message);
  }
  toReply(): Reply {
    return {
      status: this.status,
      headers: this.headers,
      body: {
        message: this.message,
        ...this.extra,
        documentation_url: this.docs,
        status: `${this.status}`,
      },
    };
  }
}

export const notFound = (): HttpError => new HttpError(404, 'Not Found');
/** GitHub's 403 for a token without the permission; `accepted` is `x-accepted-github-permissions`. */
export const forbiddenIntegration = (accepted?: string): HttpError =>
  new HttpError(
    403,
    'Resource not accessible by integration',
    {},
    accepted ? { 'x-accepted-github-permissions': accepted } : {},
  );

/** 422 "Validation Failed" with GitHub's `errors` array. */
export function validationFailed(
  resource: string,
  field: string,
  code: string,
  message?: string,
): HttpError {
  const err: Record<string, string> = { resource, field, code };
  if (message) err.message = message;
  return new HttpError(422, 'Validation Failed', { errors: [err] });
}

export function ok(body: unknown, status = 200): Reply {
  return { status, body };
}

export const noContent = (): Reply => ({ status: 204 });

export function str(ctx: Ctx, name: string): string | undefined {
  const v = ctx.body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    throw new HttpError(
      422,
      `Invalid request.\n\nFor '${name}', ${JSON.stringify(v)} is not a string.`,
    );
  }
  return v;
}

export function reqStr(ctx: Ctx, name: string): string {
  const v = str(ctx, name);
  if (v === undefined) throw new HttpError(422, `Invalid request.\n\n"${name}" wasn't supplied.`);
  return v;
}

export function strList(ctx: Ctx, name: string): string[] {
  const v = ctx.body[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw new HttpError(
      422,
      `Invalid request.\n\nFor '${name}', ${JSON.stringify(v)} is not an array of strings.`,
    );
  }
  return v as string[];
}

export function num(ctx: Ctx, name: string): number {
  const v = Number(ctx.params[name]);
  if (!Number.isInteger(v)) throw notFound();
  return v;
}

/** `per_page` (default 30, at most 100) and `page` (from 1), with a Link header like GitHub's. */
export function paginate<T>(ctx: Ctx, items: T[], wrap?: (page: T[]) => unknown): Reply {
  const perRaw = Number(ctx.query.get('per_page') ?? 30);
  const perPage = Math.min(100, Math.max(1, Number.isFinite(perRaw) ? Math.floor(perRaw) : 30));
  const pageRaw = Number(ctx.query.get('page') ?? 1);
  const page = Math.max(1, Number.isFinite(pageRaw) ? Math.floor(pageRaw) : 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number): string => {
    const u = new URL(ctx.url.pathname + ctx.url.search, ctx.state.apiUrl);
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(p));
    return `${ctx.state.apiUrl}${u.pathname}${u.search}`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`<${link(Math.min(page - 1, last))}>; rel="prev"`);
  if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
  if (page > 1) rels.push(`<${link(1)}>; rel="first"`);
  return {
    status: 200,
    body: wrap ? wrap(slice) : slice,
    headers: rels.length > 0 ? { link: rels.join(', ') } : {},
  };
}
