// Settings read once at the edge: inputs, secrets masked (line by line), the repository, the
// workflow file and ref, the event; set-up mistakes are SetupErrors that say how to fix them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readSettings, SetupError } from '../../../src/edge/settings.js';

let eventPath = '';
let stdout: string[] = [];
beforeEach(() => {
  eventPath = join(mkdtempSync(join(tmpdir(), 'dr-settings-')), 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify({ action: 'opened', repository: { default_branch: 'trunk' } }),
  );
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((c: unknown) => {
    stdout.push(String(c));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const env = (o: Record<string, string | undefined> = {}) => ({
  'INPUT_GITHUB-TOKEN': ' ghs_token_value ',
  GITHUB_REPOSITORY: 'acme/app',
  GITHUB_EVENT_PATH: eventPath,
  GITHUB_EVENT_NAME: 'pull_request',
  ...o,
});

describe('readSettings', () => {
  it('defaults: config path, prefix, API and server URLs, run URL, workspace, no workflow ref', () => {
    const s = readSettings(env());
    expect(s).toMatchObject({
      githubToken: 'ghs_token_value',
      membersToken: undefined,
      sshPrivateKey: undefined,
      sshPassphrase: undefined,
      configPath: '.github/deploy-request.yml',
      commandPrefix: '/',
      repo: { owner: 'acme', repo: 'app' },
      apiUrl: 'https://api.github.com',
      serverUrl: 'https://github.com',
      runUrl: 'https://github.com/acme/app/actions/runs/0',
      workflowFile: '',
      workflowRef: '',
      eventName: 'pull_request',
      event: { action: 'opened' },
      workspace: process.cwd(),
      artifactDir: undefined,
      sha: '',
      defaultBranch: 'trunk',
    });
  });

  it('everything given: inputs trimmed, key lines kept, workflow file and ref split', () => {
    const key =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAbbbbCCCCdddd\nshort\n-----END OPENSSH PRIVATE KEY-----';
    const s = readSettings(
      env({
        'INPUT_MEMBERS-TOKEN': 'ghp_members_token',
        'INPUT_SSH-PRIVATE-KEY': `\n${key}\n\n`,
        'INPUT_SSH-PASSPHRASE': 'pass phrase!',
        'INPUT_CONFIG-PATH': 'ops/deploy.yml',
        'INPUT_COMMAND-PREFIX': '!',
        'INPUT_ARTIFACT-DIR': ' /runner/_temp/build ',
        GITHUB_API_URL: 'https://ghe.example/api/v3',
        GITHUB_SERVER_URL: 'https://ghe.example',
        GITHUB_RUN_ID: '99',
        GITHUB_WORKFLOW_REF: 'acme/app/.github/workflows/deploy.yml@refs/heads/main',
        GITHUB_WORKSPACE: '/ws',
        GITHUB_SHA: 'abc',
      }),
    );
    expect(s).toMatchObject({
      membersToken: 'ghp_members_token',
      sshPrivateKey: key,
      sshPassphrase: 'pass phrase!',
      configPath: 'ops/deploy.yml',
      commandPrefix: '!',
      apiUrl: 'https://ghe.example/api/v3',
      runUrl: 'https://ghe.example/acme/app/actions/runs/99',
      workflowFile: '.github/workflows/deploy.yml',
      workflowRef: 'refs/heads/main',
      workspace: '/ws',
      artifactDir: '/runner/_temp/build',
      sha: 'abc',
    });
    // A relative artifact-dir is the workspace's, as workflow paths are.
    const relative = readSettings(env({ 'INPUT_ARTIFACT-DIR': 'out', GITHUB_WORKSPACE: '/ws' }));
    expect(relative.artifactDir).toBe('/ws/out');
    const masks = stdout.filter((l) => l.startsWith('::add-mask::')).map((l) => l.slice(12).trim());
    expect(masks).toEqual(
      expect.arrayContaining([
        'ghs_token_value',
        'ghp_members_token',
        'pass phrase!',
        'AAAAbbbbCCCCdddd',
        '-----BEGIN OPENSSH PRIVATE KEY-----',
      ]),
    );
    // Lines too short to be secret are not masked (they would mask common words in the log).
    expect(masks).not.toContain('short');
  });

  it('a workflow ref of another repository keeps its whole path', () => {
    const s = readSettings(
      env({ GITHUB_WORKFLOW_REF: 'other/repo/.github/workflows/x.yml@refs/tags/v1' }),
    );
    expect(s.workflowFile).toBe('other/repo/.github/workflows/x.yml');
    expect(s.workflowRef).toBe('refs/tags/v1');
  });

  it('no default branch in the payload: undefined', () => {
    writeFileSync(eventPath, JSON.stringify({ repository: { default_branch: 5 } }));
    expect(readSettings(env()).defaultBranch).toBeUndefined();
    writeFileSync(eventPath, 'null');
    expect(readSettings(env()).defaultBranch).toBeUndefined();
  });

  it.each([
    [{ 'INPUT_GITHUB-TOKEN': '  ' }, /^Input `github-token` is empty/],
    [
      { GITHUB_REPOSITORY: undefined },
      /^GITHUB_REPOSITORY is not set: this must run inside GitHub Actions\.$/,
    ],
    [{ GITHUB_REPOSITORY: 'acme' }, /^GITHUB_REPOSITORY must be owner\/name, got acme$/],
    [{ GITHUB_REPOSITORY: '/app' }, /^GITHUB_REPOSITORY must be owner\/name/],
    [{ GITHUB_EVENT_PATH: undefined }, /^GITHUB_EVENT_PATH is not set/],
    [{ GITHUB_EVENT_NAME: '' }, /^GITHUB_EVENT_NAME is not set/],
  ])('%j is a set-up error', (o, message) => {
    let error: unknown;
    try {
      readSettings(env(o));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SetupError);
    expect((error as Error).name).toBe('SetupError');
    expect((error as Error).message).toMatch(message);
  });

  it('reads process.env by default', () => {
    const saved = { ...process.env };
    Object.assign(process.env, env());
    try {
      expect(readSettings().repo).toEqual({ owner: 'acme', repo: 'app' });
    } finally {
      for (const k of Object.keys(env())) if (!(k in saved)) delete process.env[k];
    }
  });
});
