// SPEC §7: `npm run demo` runs the whole flow on this machine and prints the conversation; it
// cleans up after itself on success, on a failed step and on Ctrl-C.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript, type ScriptRun } from '../support/run-script.js';

function runDemo(
  o: {
    npm?: boolean;
    env?: Record<string, string>;
    onStdout?: (all: string, pid: number) => void;
  } = {},
): Promise<ScriptRun> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...o.env };
  delete env.FORCE_COLOR;
  const [command, args] = o.npm
    ? ['npm', ['run', '--silent', 'demo']]
    : [process.execPath, ['demo/run.mjs']];
  return runScript(command, args, { env, timeoutMs: 170_000, onStdout: o.onStdout });
}

/** Ports the demo said it listens on: the stand-in and each sshd. */
function ports(stdout: string): number[] {
  return [
    ...stdout.matchAll(/(?:stand-in at http:\/\/127\.0\.0\.1:|sshd on 127\.0\.0\.1:)(\d+)/g),
  ].map((m) => Number(m[1]));
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function expectStopped(stdout: string, count: number): Promise<void> {
  const scratch = /Temporary files: (\S+)/.exec(stdout)?.[1];
  expect(scratch).toMatch(/dr-demo-/);
  expect(existsSync(scratch as string), `${scratch} left behind`).toBe(false);
  const open = ports(stdout);
  expect(open).toHaveLength(count);
  for (const port of open) expect(await refused(port), `port ${port} still open`).toBe(true);
}

describe('npm run demo', () => {
  it('runs from pull request to deployed release and prints the conversation', async () => {
    const run = await runDemo({ npm: true });
    const out = run.stdout;
    expect(run.code, `${out}\n${run.stderr}`).toBe(0);

    // The conversation, in order: validation, stage by stage approval, hand-over, prompt, deploy.
    const milestones = [
      'dev opened pull request #1',
      'Deploy request: awaiting approval',
      'github-actions[bot] requested a review from @alice',
      'alice approved these changes',
      'github-actions[bot] requested a review from team @acme/ops',
      'olga approved these changes',
      'oscar approved these changes',
      'Deploy request: approved',
      'Hand-over: workflow_dispatch of deploy-request.yml on main (pull-request=1)',
      'Servers: 2 of 2 ready',
      'Confirm this deployment',
      'dev commented',
      'Deployed web 1.4.2 to staging',
      'On the servers',
      // Issue 15: the next release, its rollback from the pull request, and /status.
      'web 1.4.3 goes out the same way',
      'alice commented\n  │ /rollback',
      'Roll back web in staging to',
      'Rolled back web in staging to',
      'Rolled back to',
      '📋 Status of staging',
      '1.4.3 ✗ bad: rolled back by @alice (#2)',
      'On the servers after the rollback',
    ];
    let at = -1;
    for (const text of milestones) {
      const next = out.indexOf(text, at + 1);
      expect(next, `"${text}" after position ${at}`).toBeGreaterThan(at);
      at = next;
    }
    expect(out).toMatch(/phase awaiting-approval/);
    expect(out).toMatch(/phase awaiting-confirmation/);
    expect(out).toMatch(/phase deployed/);
    expect(out).toMatch(/deploy-request\/validate\s+success/);
    expect(out).toMatch(/Deployment \d+ to staging: queued/);
    expect(out).toMatch(/Deployment \d+ to staging: in_progress → success/);

    // The exact command from the prompt is what dev comments.
    const command = /^\s+│\s+(\/confirm [0-9a-f]{12,})$/m.exec(out)?.[1];
    expect(command).toBeDefined();
    expect(out).toContain(`│ ${command}\n`);
    expect(out.split(command as string).length).toBeGreaterThanOrEqual(3);

    // Each server: current -> the new release, its metadata, a passing health check.
    for (const server of ['web-1', 'web-2']) {
      const section = out.slice(out.indexOf(`  ${server} (`, out.indexOf('On the servers')));
      expect(section).toMatch(/^ {4}current -> releases\/\d{8}T\d{6}Z-[0-9a-f]{12}$/m);
      expect(section).toContain(`"server": "${server}"`);
      expect(section).toMatch(
        /health check \.\/bin\/health: passed {2}healthy: <h1>web 1\.4\.2<\/h1>/,
      );
    }
    for (const server of ['web-1', 'web-2'])
      expect(out).toMatch(
        new RegExp(`${server}: current -> releases/\\S+ \\(web 1\\.4\\.2\\), health check passed`),
      );
    expect(out).toMatch(/Demo finished in \d+(\.\d)? s/);

    // Readable: no colours through a pipe with NO_COLOR, no hidden comments, no secrets.
    expect(out).not.toMatch(/\x1b\[/);
    expect(out).not.toContain('<!--');
    expect(out).not.toContain('PRIVATE KEY');
    expect(out).not.toContain('ghs_standin');

    await expectStopped(out, 3);
  }, 180_000);

  describe('when something goes wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dr-demo-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a step that does not reach its phase: exit 1, says which and why, cleans up', async () => {
      const fake = join(dir, 'fake-action.mjs');
      writeFileSync(
        fake,
        "import { appendFileSync } from 'node:fs';\n" +
          "appendFileSync(process.env.GITHUB_OUTPUT, 'phase=invalid\\n');\n" +
          "console.log('::error::deploy-requests/web-1.4.2.yml:3:1: something is wrong');\n" +
          'process.exitCode = 1;\n',
      );
      const run = await runDemo({ env: { DEMO_ACTION_ENTRY: fake } });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        'The action run on pull_request (opened) should reach phase "awaiting-approval" but ended with "invalid" (exit code 1).',
      );
      expect(run.stdout).toContain('error: deploy-requests/web-1.4.2.yml:3:1: something is wrong');
      expect(run.stdout).toMatch(/The demo stopped after/);
      await expectStopped(run.stdout, 3);
    }, 60_000);

    it('Ctrl-C: stops the servers and the stand-in, exits 130', async () => {
      let sent = false;
      const run = await runDemo({
        onStdout: (all, pid) => {
          if (!sent && all.includes('1/9')) {
            sent = true;
            process.kill(pid, 'SIGINT');
          }
        },
      });
      expect(sent).toBe(true);
      expect(run.code).toBe(130);
      expect(run.stdout).toContain('SIGINT: stopping the demo and cleaning up');
      expect(run.stdout).not.toContain('Demo finished');
      await expectStopped(run.stdout, 3);
    }, 60_000);
  });
});
