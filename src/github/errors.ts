// What a GitHub failure means, as a class the caller can catch: every HTTP error of every port
// call, reads included, goes through toDomainError, so nothing outside this file looks at status
// codes. Messages stay GitHub's, except refusals (401/403), which say what to grant (SPEC §8).
import { CALL_NEEDS, refusedMessage, type TokenCall } from './permissions.js';

/** A GitHub call refused for lack of permission; the message says which permission or scope is needed. */
export class GitHubAccessError extends Error {
  override name = 'GitHubAccessError';
}

/** The token was refused: 401 (not accepted at all) or 403 (lacks a permission). */
export class GitHubForbiddenError extends GitHubAccessError {
  override name = 'GitHubForbiddenError';
  constructor(
    message: string,
    readonly status: 401 | 403,
  ) {
    super(message);
  }
}

/**
 * GitHub kept failing (5xx) after the client's retries: not our bug, nothing the user set up
 * wrong; the message says which call and to re-run later. `date` is GitHub's clock in that
 * answer (its `date` header), when it sent one.
 */
export class GitHubUnavailableError extends GitHubAccessError {
  override name = 'GitHubUnavailableError';
  constructor(
    message: string,
    readonly status: number,
    readonly date?: string,
  ) {
    super(message);
  }
}

/** GitHub's rate limit stopped the run; the message says which limit and when to re-run. */
export class GitHubRateLimitError extends GitHubAccessError {
  override name = 'GitHubRateLimitError';
}

/** An HTTP error no narrower class names (400, 410, …); the message is GitHub's. */
export class GitHubRequestError extends Error {
  override name = 'GitHubRequestError';
  constructor(
    message: string,
    readonly status: number,
    /** GitHub's own `message` in the answer, without the documentation link. */
    readonly githubMessage?: string,
  ) {
    super(message);
  }
}

/** 404: no such object (file, ref, pull request, team, workflow, comment). */
export class GitHubNotFoundError extends GitHubRequestError {
  override name = 'GitHubNotFoundError';
}

/** 409 or 422: the write conflicts with what is there (a ref exists) or was not valid. */
export class GitHubConflictError extends GitHubRequestError {
  override name = 'GitHubConflictError';
}

/** A file the contents API did not inline (over 1 MiB); `size` is its size in bytes. */
export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';
  constructor(
    readonly path: string,
    readonly size: number,
  ) {
    super(`${path} is ${size} bytes, too large to read`);
  }
}

interface HttpError {
  status?: unknown;
  message?: unknown;
  response?: { data?: { message?: unknown } };
}

/**
 * The domain error for `error`, thrown by GitHub for the port call `call` (a GitHubPort method
 * name): errors that are already ours, and failures without an HTTP status (network), pass as
 * they are.
 */
export function toDomainError(call: string, error: unknown): unknown {
  if (error instanceof GitHubAccessError || error instanceof GitHubRequestError) return error;
  const e = error as HttpError | undefined;
  const status = e?.status;
  if (typeof status !== 'number') return error;
  const message = typeof e?.message === 'string' ? e.message : `HTTP ${status}`;
  const said = e?.response?.data?.message;
  const githubMessage = typeof said === 'string' ? said : undefined;
  if (status === 401) return new GitHubForbiddenError(unauthorized(message), 401);
  if (status === 403) {
    const text = call in CALL_NEEDS ? refusedMessage(call as TokenCall, message) : message;
    return new GitHubForbiddenError(text, 403);
  }
  if (status === 404) return new GitHubNotFoundError(message, status, githubMessage);
  if (status === 409 || status === 422)
    return new GitHubConflictError(message, status, githubMessage);
  return new GitHubRequestError(message, status, githubMessage);
}

function unauthorized(message: string): string {
  return (
    `GitHub did not accept the token (401: ${message}). Check the \`github-token\` input (and ` +
    '`members-token`, when set): it may be mistyped, expired or revoked.'
  );
}

/** Runs one GitHub request for the port call `call`, throwing its failure as a domain error. */
export async function attempt<T>(call: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw toDomainError(call, error);
  }
}

/** Every method of a port slice, with its failures as domain errors named after the method. */
export function withDomainErrors<P extends object>(port: P): P {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(port) as [string, (...a: unknown[]) => unknown][]) {
    out[name] = (...args: unknown[]) => attempt(name, async () => fn(...args));
  }
  return out as P;
}
