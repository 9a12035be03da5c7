// Handlers called directly with a RunContext: the real GitHub port over the stand-in (or a port
// with some methods replaced), plain settings and a logger that records what it is told. The
// same over the in-memory fake, without HTTP: fake-run-context.ts.
import type { RunContext } from '../../../src/edge/run-context.js';
import type { ActionSettings } from '../../../src/edge/settings.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { DeployRequestConfig } from '../../../src/config/types.js';
import { createClient } from '../../../src/github/client.js';
import { createGitHubPort } from '../../../src/github/octokit-port.js';
import type { GitHubPort } from '../../../src/github/port.js';
import type { Problem } from '../../../src/problem.js';
import { loadRequest } from '../../../src/request/load-request.js';
import type { DeployRequest } from '../../../src/request/types.js';
import type { GitHubStandIn } from '../../support/github-stand-in/index.js';
import { testDeployKey } from '../../support/signed-state.js';

export interface Recorded {
  info: string[];
  warning: string[];
  annotations: Problem[];
  groups: { name: string; lines: string[] }[];
}

export function settingsFor(gh: GitHubStandIn, o: Partial<ActionSettings> = {}): ActionSettings {
  return {
    githubToken: gh.tokens.write,
    membersToken: gh.tokens.members,
    configPath: '.github/deploy-request.yml',
    commandPrefix: '/',
    repo: { owner: gh.owner, repo: gh.repo },
    // Read only when given none: an in-memory fake's stand-in is never started (has no URL).
    apiUrl: o.apiUrl ?? gh.url,
    serverUrl: 'https://github.example',
    runUrl: 'https://github.example/run/1',
    workflowFile: '.github/workflows/deploy.yml',
    workflowRef: `refs/heads/${gh.defaultBranch}`,
    eventName: 'workflow_dispatch',
    event: {},
    workspace: process.cwd(),
    sha: '',
    sshPrivateKey: testDeployKey(),
    ...o,
  };
}

export function portFor(gh: GitHubStandIn): GitHubPort {
  return createGitHubPort(
    createClient({ token: gh.tokens.write, baseUrl: gh.url }),
    { owner: gh.owner, repo: gh.repo },
    createClient({ token: gh.tokens.members, baseUrl: gh.url }),
  );
}

export function contextFor(
  gh: GitHubStandIn,
  o: { settings?: Partial<ActionSettings>; github?: Partial<GitHubPort>; now?: Date } = {},
): RunContext & { recorded: Recorded } {
  return contextWith({ ...portFor(gh), ...o.github }, settingsFor(gh, o.settings), o.now);
}

/** A RunContext on this port and these settings, with a logger that records (at `now`, or now). */
export function contextWith(
  github: GitHubPort,
  settings: ActionSettings,
  now?: Date,
): RunContext & { recorded: Recorded } {
  const recorded: Recorded = { info: [], warning: [], annotations: [], groups: [] };
  return {
    github,
    settings,
    log: {
      info: (l) => recorded.info.push(l),
      warning: (l) => recorded.warning.push(l),
      annotate: (p) => recorded.annotations.push(p),
      group: (name, lines) => recorded.groups.push({ name, lines }),
    },
    now: () => now ?? new Date(),
    recorded,
  };
}

export function loaded(
  configText: string,
  requestText: string,
): { config: DeployRequestConfig; request: DeployRequest } {
  const config = loadConfig(configText, 'c.yml');
  if (!config.ok) throw new Error(JSON.stringify(config.problems));
  const request = loadRequest(requestText, 'r.yml', config.value);
  if (!request.ok) throw new Error(JSON.stringify(request.problems));
  return { config: config.value, request: request.value };
}

/** Blob SHA of the trusted config at the default branch's tip (what the digest binds). */
export async function configSha(github: GitHubPort, path = '.github/deploy-request.yml') {
  const branch = await github.getDefaultBranch();
  const file = await github.getFile(path, branch);
  if (!file) throw new Error(`no ${path} on ${branch}`);
  return file.sha;
}
