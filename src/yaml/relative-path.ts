// A path that must stay inside a base directory (the workspace, shared/): relative, forward
// slashes, no `..` segment. Used by the schemas' pattern hints and by the request's own checks.
import { codeSpan } from './code-span.js';

/** What is wrong with `value` as a contained relative path, or undefined when it is fine. */
export function relativePathProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'must be a non-empty relative path';
  if (value.includes('\\')) return 'must use forward slashes (`/`), not backslashes';
  if (value.startsWith('/') || /^[A-Za-z]:/.test(value)) {
    return `must be a relative path, got the absolute path ${codeSpan(value)}`;
  }
  if (value.startsWith('~')) return 'must be a relative path; `~` is not expanded';
  if (value.split('/').includes('..'))
    return 'must not contain a `..` segment (it would leave the directory)';
  if (value.includes('\0')) return 'must not contain NUL characters';
  return undefined;
}
