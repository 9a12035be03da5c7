// Routes requests: fault injection, authentication, repository scoping, job permissions, logging.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { check, routeNeed } from './permissions.js';
import { HttpError, notFound, type Ctx, type Handler, type Reply } from './http.js';
import type { Fault, State } from './state.js';

interface Route {
  method: string;
  /** The pattern after `/repos/{owner}/{repo}` (repository routes). */
  pattern: string;
  segments: string[];
  repoScoped: boolean;
  handler: Handler;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    if (p.startsWith('*')) {
      if (i >= parts.length) return null;
      params[p.slice(1)] = parts.slice(i).map(decode).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (p.startsWith(':')) params[p.slice(1)] = decode(part);
    else if (p !== part) return null;
  }
  return pattern.length === parts.length ? params : null;
}

/** Does a fault (or a call filter) with this path match a request path? */
export function pathMatches(s: State, want: RegExp | string, path: string): boolean {
  if (want instanceof RegExp) return want.test(path);
  const prefix = `/repos/${s.fullName}`;
  return path === want || (path.startsWith(prefix) && path.slice(prefix.length) === want);
}

export class Router {
  private readonly routes: Route[] = [];
  constructor(private readonly state: State) {}

  /** A route under `/repos/{owner}/{repo}`; `:x` is one segment, `*x` the rest of the path. */
  repo(method: string, path: string, handler: Handler): void {
    routeNeed(method, path, {}, this.state); // every route declares its permission (permissions.ts)
    this.routes.push({
      method,
      pattern: path,
      segments: path.split('/').filter(Boolean),
      repoScoped: true,
      handler,
    });
  }

  add(method: string, path: string, handler: Handler): void {
    this.routes.push({
      method,
      pattern: path,
      segments: path.split('/').filter(Boolean),
      repoScoped: false,
      handler,
    });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const s = this.state;
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const auth = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const token = auth?.[1] ?? null;
    let body: unknown = undefined;
    let reply: Reply;
    try {
      if (raw.trim() !== '') {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new HttpError(400, 'Problems parsing JSON');
        }
      }
      const fault = this.takeFault(method, url.pathname);
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault?.status) {
        // The work is done and its answer replaced by the fault's (any error it met, too).
        if (fault.afterApply) this.applyQuietly(method, url, req, token, body);
        reply = {
          status: fault.status,
          headers: fault.headers,
          body: fault.body ?? { message: 'Injected fault' },
        };
      } else {
        reply = this.dispatch(method, url, req, token, body);
      }
    } catch (e) {
      reply = this.errorReply(e);
    }
    s.log.push({
      method,
      path: decode(url.pathname),
      query: Object.fromEntries(url.searchParams),
      body,
      status: reply.status,
      token,
    });
    this.send(res, reply);
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const s = this.state;
    const decoded = decode(path);
    const f = s.faults.find(
      (x) =>
        x.left > 0 &&
        (!x.method || x.method.toUpperCase() === method) &&
        (pathMatches(s, x.path, path) || pathMatches(s, x.path, decoded)),
    );
    if (f) f.left--;
    return f;
  }

  private applyQuietly(
    method: string,
    url: URL,
    req: IncomingMessage,
    token: string | null,
    body: unknown,
  ): void {
    try {
      this.dispatch(method, url, req, token, body);
    } catch {
      // Not applied (e.g. 401 or 422): the fault's answer goes out all the same.
    }
  }

  private dispatch(
    method: string,
    url: URL,
    req: IncomingMessage,
    token: string | null,
    body: unknown,
  ): Reply {
    const s = this.state;
    if (url.pathname === '/graphql') {
      throw new HttpError(404, 'Not Found (the GitHub stand-in speaks REST only)');
    }
    if (token === null) throw new HttpError(401, 'Requires authentication');
    const tok = s.tokens.get(token);
    if (!tok) throw new HttpError(401, 'Bad credentials');
    const parts = url.pathname.split('/').filter(Boolean);
    let found: { route: Route; params: Record<string, string> } | undefined;
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const pattern = route.repoScoped
        ? ['repos', ':owner', ':repo', ...route.segments]
        : route.segments;
      const params = matchSegments(pattern, parts);
      if (params) {
        found = { route, params };
        break;
      }
    }
    if (!found) throw notFound();
    const { route, params } = found;
    if (route.repoScoped) {
      const same =
        params.owner?.toLowerCase() === s.owner.toLowerCase() &&
        params.repo?.toLowerCase() === s.repo.toLowerCase();
      if (!same) throw notFound();
      check(tok.permissions, routeNeed(method, route.pattern, params, s));
    }
    const ctx: Ctx = {
      state: s,
      method,
      params,
      query: url.searchParams,
      body: body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {},
      headers: req.headers,
      token: tok,
      url,
    };
    return route.handler(ctx);
  }

  private errorReply(e: unknown): Reply {
    if (e instanceof HttpError) return e.toReply();
    const message = e instanceof Error ? e.message : String(e);
    return { status: 500, body: { message: `stand-in error: ${message}` } };
  }

  private send(res: ServerResponse, reply: Reply): void {
    const s = this.state;
    const headers: Record<string, string> = {
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      // GitHub's clock (the stand-in's), as GitHub sends it; timestamps in bodies use it too.
      date: s.clock.now().toUTCString(),
      'x-github-request-id': `STANDIN:${s.log.length}`,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(Math.max(0, 5000 - s.log.length)),
      'x-ratelimit-reset': String(Math.floor(s.clock.now().getTime() / 1000) + 3600),
      'x-ratelimit-used': String(Math.min(5000, s.log.length)),
      'x-ratelimit-resource': 'core',
      ...(reply.headers ?? {}),
    };
    let payload = '';
    if (reply.text !== undefined) {
      payload = reply.text;
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    } else if (reply.body !== undefined && reply.status !== 204) {
      payload = JSON.stringify(reply.body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    headers['content-length'] = String(Buffer.byteLength(payload));
    res.writeHead(reply.status, headers);
    res.end(payload);
  }
}
