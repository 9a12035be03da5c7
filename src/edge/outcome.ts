// What a run ends with: the phase (SPEC §5) and outputs. main.ts turns it into outputs and the
// job's result; handlers only return it.
import type { Phase } from '../domain/phase.js';

export type { Phase } from '../domain/phase.js';

export interface Outcome {
  phase: Phase;
  requestFile?: string;
  environment?: string;
  digest?: string;
  deploymentId?: number;
  result?: string;
  /** One line for the log and, for failing phases, the job's failure message. */
  message: string;
  /** Markdown for the job summary (usually the status comment). */
  summary?: string;
}

/** Phases for which the job goes red (SPEC §5); waiting on people and refusals stay green. */
export const FAILING_PHASES: ReadonlySet<Phase> = new Set([
  'invalid',
  'checks-failed',
  'deploy-failed',
]);
