// What every handler receives: the GitHub port, the settings read at the edge, and a logger.
// Handlers perform their side effects only through these.
import type { GitHubPort } from '../github/port.js';
import type { Problem } from '../problem.js';
import type { ActionSettings } from './settings.js';

export interface Logger {
  info(line: string): void;
  warning(line: string): void;
  /** A validation problem as an annotation on its file and line. */
  annotate(problem: Problem): void;
  group(name: string, lines: string[]): void;
}

export interface RunContext {
  github: GitHubPort;
  settings: ActionSettings;
  log: Logger;
  now: () => Date;
}
