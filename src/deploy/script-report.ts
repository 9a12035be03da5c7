// Reads what a deployment script reported: "@@key args" lines on stdout, timed by when each
// "@@step" line reached the runner (a script stamping its own steps forked `date` for each).
import type { Marker } from '../remote/markers.js';
import type { ExecResult } from '../ssh/types.js';
import type { StepTiming } from './types.js';

export interface ScriptReport {
  steps: StepTiming[];
  /** The step that was running when the script stopped. */
  lastStep?: string;
  /** @@error message, when the script refused or failed on purpose. */
  error?: string;
  markers: Array<{ key: string; args: string[] }>;
}

/** A script's output and, when the session recorded them, when its lines arrived. */
export type ScriptOutput = Pick<ExecResult, 'stdout' | 'lineAt' | 'endAt'>;

export function parseReport(output: ScriptOutput, roundTripMs: number): ScriptReport {
  const markers: ScriptReport['markers'] = [];
  const stamps: Array<{ name: string; at: number }> = [];
  let error: string | undefined;
  output.stdout.split('\n').forEach((line, i) => {
    if (!line.startsWith('@@')) return;
    const [key = '', ...args] = line.slice(2).split(' ');
    if (key === 'step') stamps.push({ name: args[0] ?? '?', at: output.lineAt?.[i] ?? NaN });
    else if (key === 'error') error = args.join(' ');
    else markers.push({ key, args });
  });
  const end = output.endAt ?? NaN;
  const steps = stamps.map((stamp, i) => ({
    name: stamp.name,
    ms: (stamps[i + 1]?.at ?? end) - stamp.at,
  }));
  // A step without a measured start or end (no arrival times) gets what is left over.
  const known = steps.reduce((sum, step) => sum + (Number.isFinite(step.ms) ? step.ms : 0), 0);
  for (const step of steps) {
    step.ms = Math.max(0, Math.round(Number.isFinite(step.ms) ? step.ms : roundTripMs - known));
  }
  return { steps, lastStep: stamps.at(-1)?.name, error, markers };
}

export function marker(report: ScriptReport, key: Marker): string[] | undefined {
  return report.markers.find((m) => m.key === key)?.args;
}

export function markersOf(report: ScriptReport, key: Marker): string[][] {
  return report.markers.filter((m) => m.key === key).map((m) => m.args);
}

/** The end of a command's output, enough to see why it failed without flooding the log. */
export function outputTail(text: string, max = 1500): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  if (trimmed.length <= max) return `output:\n${trimmed}`;
  return `output (last ${max} characters):\n…${trimmed.slice(trimmed.length - max)}`;
}

/** Why a script stopped when it did not say so itself (exit code, signal, timeout). */
export function exitDescription(result: ExecResult): string {
  if (result.timedOut) return 'timed out and was stopped';
  if (result.signal) return `was killed by ${result.signal}`;
  if (result.code === null)
    return 'ended without an exit status (the connection or the server went away)';
  return `exited with code ${result.code ?? 'unknown'}`;
}

/** "step: message" plus the command output's tail, for a failed script. */
export function scriptFailure(
  report: ScriptReport,
  result: ExecResult,
  phase: string,
  step = report.lastStep ?? phase,
): string {
  const message = report.error ?? `the script ${exitDescription(result)}`;
  const output = outputTail(result.stderr);
  return output ? `${step}: ${message}\n${output}` : `${step}: ${message}`;
}
