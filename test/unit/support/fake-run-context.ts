// Handlers called directly on the in-memory fake of GitHub (test/support/fake-github/): the
// repository of test/e2e/in-process/support.ts (trusted config on main, teams team-leads and ops, the
// workflow the hand-over dispatches), no server and no HTTP client. Its openRequest works on
// `fake.gh` as it is.
import type { RunContext } from '../../../src/edge/run-context.js';
import type { ActionSettings } from '../../../src/edge/settings.js';
import type { GitHubPort } from '../../../src/github/port.js';
import { openPrompt, type TrustedState } from '../../../src/state/prompts.js';
import type { PromptPayload } from '../../../src/state/deployment-record.js';
import { createFakeGitHub, type FakeGitHub } from '../../support/fake-github/index.js';
import type { StandInOptions } from '../../support/github-stand-in/index.js';
import { EXAMPLE_WORKFLOW } from '../../support/workflow.js';
import { CONFIG, CONFIG_PATH } from '../../e2e/in-process/support.js';
import { contextWith, settingsFor, type Recorded } from './run-context.js';

/** A fake GitHub with `config` (null: none) on main, and teams team-leads and ops. */
export function fakeRepoWith(config: string | null = CONFIG, o: StandInOptions = {}): FakeGitHub {
  return createFakeGitHub({
    files: {
      ...(config === null ? {} : { [CONFIG_PATH]: config }),
      'README.md': '# app\n',
      '.github/workflows/deploy.yml': EXAMPLE_WORKFLOW,
    },
    teams: { 'team-leads': ['tina'], ops: ['olga', 'oscar', 'otto'] },
    ...o,
  });
}

/** A RunContext on the fake's port (some methods replaced by `github`), recording the log. */
export function fakeContextFor(
  fake: FakeGitHub,
  o: { settings?: Partial<ActionSettings>; github?: Partial<GitHubPort>; now?: Date } = {},
): RunContext & { recorded: Recorded } {
  const settings = settingsFor(fake.gh, { apiUrl: 'https://api.github.invalid', ...o.settings });
  return contextWith({ ...fake.port, ...o.github }, settings, o.now);
}

/**
 * A prompt (Deployment + signed queued status) as the trusted run opens it, through `github`;
 * returns its id. (test/support/signed-state.ts seedPrompt, on a port instead of a started stand-in.)
 */
export async function seedPromptOn(
  github: GitHubPort,
  trust: TrustedState,
  o: { sha: string; environment?: string; payload: Partial<PromptPayload> & { pr: number } },
): Promise<number> {
  return openPrompt(github, trust, {
    sha: o.sha,
    environment: o.environment ?? 'staging',
    payload: {
      requestFile: 'deploy-requests/web.yml',
      digest: 'd'.repeat(64),
      application: 'web',
      release: '1.0.0',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      ...o.payload,
    },
    description: 'seeded',
  });
}
