// The edge: read settings and the event once, build the GitHub port, run the one handler for
// this event, then turn its outcome into outputs, a job summary and the job's result.
import * as core from '@actions/core';
import { parseEvent, type ActionEvent } from './edge/event.js';
import { handleGate } from './action/handle-gate.js';
import { handleDispatch } from './action/handle-dispatch.js';
import { handleComment } from './action/handle-comment.js';
import { handleClosed } from './action/handle-cancel.js';
import { FAILING_PHASES, type Outcome } from './edge/outcome.js';
import type { Logger, RunContext } from './edge/run-context.js';
import { readSettings, SetupError } from './edge/settings.js';
import { createClient } from './github/client.js';
import { createGitHubClock } from './github/github-clock.js';
import { createGitHubPort } from './github/octokit-port.js';
import { GitHubAccessError } from './github/port.js';
import { logSafe } from './log-safety.js';
import type { Problem } from './problem.js';

// Every line we print goes through logSafe: values in it (file names, server output) can never
// become workflow commands. core.warning/error/startGroup/setFailed escape their text themselves.
const log: Logger = {
  info: (line) => core.info(logSafe(line)),
  warning: (line) => core.warning(line),
  annotate: (p: Problem) =>
    core.error(p.message, {
      title: 'deploy-request',
      file: p.file,
      startLine: p.line,
      startColumn: p.column,
    }),
  group: (name, lines) => {
    core.startGroup(name);
    for (const line of lines) core.info(logSafe(line));
    core.endGroup();
  },
};

export async function handle(event: ActionEvent, ctx: RunContext): Promise<Outcome> {
  switch (event.kind) {
    case 'pull_request':
      if (event.action === 'closed') return handleClosed(ctx, event.pull);
      return handleGate(ctx, event.pull, event.defaultBranch);
    case 'pull_request_review':
      return handleGate(ctx, event.pull, event.defaultBranch);
    case 'workflow_dispatch':
      return handleDispatch(ctx, event.pullNumber);
    case 'issue_comment':
      return handleComment(ctx, event);
    case 'ignored':
      return { phase: 'ignored', message: event.reason };
  }
}

export async function run(): Promise<void> {
  try {
    const settings = readSettings();
    const warn = (line: string): void => core.warning(line);
    const clock = createGitHubClock();
    const client = createClient({
      token: settings.githubToken,
      baseUrl: settings.apiUrl,
      log: warn,
      clock,
    });
    const membersClient = settings.membersToken
      ? createClient({ token: settings.membersToken, baseUrl: settings.apiUrl, log: warn })
      : undefined;
    const ctx: RunContext = {
      github: createGitHubPort(client, settings.repo, membersClient),
      settings,
      log,
      now: () => clock.now(),
    };
    const outcome = await handle(parseEvent(settings.eventName, settings.event), ctx);
    await report(outcome);
  } catch (error) {
    fail(error);
  }
}

async function report(outcome: Outcome): Promise<void> {
  core.setOutput('phase', outcome.phase);
  core.setOutput('request-file', outcome.requestFile ?? '');
  core.setOutput('environment', outcome.environment ?? '');
  core.setOutput('digest', outcome.digest ?? '');
  core.setOutput('deployment-id', outcome.deploymentId ? String(outcome.deploymentId) : '');
  core.setOutput('result', outcome.result ?? '');
  core.info(logSafe(`deploy-request: ${outcome.phase}: ${outcome.message}`));
  if (outcome.summary && process.env.GITHUB_STEP_SUMMARY)
    await core.summary.addRaw(outcome.summary).write();
  if (FAILING_PHASES.has(outcome.phase)) core.setFailed(outcome.message);
}

/**
 * Every run sets `phase`: a run stopped by a configuration or access error (a permission the job
 * lacks, a team the token cannot read, a missing input) is `refused`, with the reason, and red.
 * Errors people can fix get their message only; our own bugs also get the stack, in debug.
 */
function fail(error: unknown): void {
  core.setOutput('phase', 'refused');
  if (error instanceof SetupError || error instanceof GitHubAccessError) {
    core.info(`deploy-request: refused: ${error.message}`);
    core.setFailed(error.message);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.stack) core.debug(error.stack);
  core.setFailed(`deploy-request stopped on an unexpected error: ${message}`);
}
