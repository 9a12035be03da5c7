// The comment views: status (sticky), confirmation, deployment result and replies. Each test reads
// the rendered Markdown as a reviewer would: what is shown, who is mentioned, what is escaped.
import { describe, expect, it } from 'vitest';
import type { ApprovalState, StageState } from '../../../src/approval/evaluate-approvals.js';
import type { ServerEnvironmentResult } from '../../../src/environment/types.js';
import type { RolloutResult, ServerDeployResult } from '../../../src/deploy/types.js';
import type { Plan } from '../../../src/request/plan.js';
import type { DeployRequest } from '../../../src/request/types.js';
import { renderConfirmation } from '../../../src/report/confirmation-view.js';
import { deployTableBlocks, renderDeployResult } from '../../../src/report/deploy-result-view.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { helpReply, noticeReply, refusalReply } from '../../../src/report/replies.js';
import { environmentBlocks, renderStatusComment } from '../../../src/report/status-view.js';

const REQUEST: DeployRequest = {
  version: 1,
  application: 'web',
  environment: 'staging',
  release: '1.4.2',
  artifact: { url: 'https://example.com/web.tgz', sha256: 'ab'.repeat(32) },
  reason: 'Roll | out *now*',
};

function stage(o: Partial<StageState> & { name: string }): StageState {
  return {
    required: 1,
    status: 'pending',
    approvedBy: [],
    stale: [],
    changesRequestedBy: [],
    eligible: [],
    missing: 1,
    ...o,
  };
}

function approval(stages: StageState[], o: Partial<ApprovalState> = {}): ApprovalState {
  return {
    stages,
    approved: false,
    currentStage: 0,
    ignored: [],
    approvers: [],
    blockedBy: [],
    ...o,
  };
}

const mentions = (md: string): string[] =>
  [...md.matchAll(/@([A-Za-z0-9_/.[\]-]+)/g)].map((m) => m[1]!);

describe('renderStatusComment', () => {
  it('the request table: artifact of each kind, servers, escaped reason, head commit', () => {
    const url = renderStatusComment({
      phase: 'awaiting-approval',
      requestFile: 'deploy-requests/web.yml',
      request: REQUEST,
      nextStep: ['wait'],
      headSha: '0123456789abcdef0123',
    });
    expect(url).toMatch(/^### ⏳ Deploy request: awaiting approval\n/);
    expect(url).toContain(
      `| Artifact | \`https://example.com/web.tgz\` sha256 \`${'ab'.repeat(32)}\` |`,
    );
    expect(url).toContain('| Servers | all of the environment |');
    expect(url).toContain('| Reason | Roll \\| out \\*now\\* |');
    expect(url).toContain('Head commit `0123456789ab`.');
    expect(url).toContain('**Next step:** wait');

    const asset = renderStatusComment({
      phase: 'approved',
      request: {
        ...REQUEST,
        artifact: { release_asset: { tag: 'v1', name: 'web.tgz' }, sha256: 'cd'.repeat(32) },
        servers: ['web-1', 'web-2'],
      },
      nextStep: [],
    });
    expect(asset).toContain(
      `| Artifact | \`release v1 asset web.tgz\` sha256 \`${'cd'.repeat(32)}\` |`,
    );
    expect(asset).toContain('| Servers | web-1, web-2 |');
    expect(asset).toContain('| Request |   |');
    expect(asset).not.toContain('Head commit');

    const path = renderStatusComment({
      phase: 'approved',
      request: {
        ...REQUEST,
        artifact: { path: 'build/web.tgz', sha256: 'ef'.repeat(32) },
        servers: [],
      },
      nextStep: [],
    });
    expect(path).toContain(`| Artifact | \`build/web.tgz\` sha256 \`${'ef'.repeat(32)}\` |`);
    expect(path).toContain('| Servers | all of the environment |');
  });

  it('problems: links for lines of the request file, code for other files; singular count', () => {
    const md = renderStatusComment({
      phase: 'invalid',
      requestFile: 'r.yml',
      lineUrl: (line) => `https://gh/blob/sha/r.yml#L${line}`,
      problems: [
        { file: 'r.yml', line: 3, column: 5, message: '`release`: must be a string' },
        { file: 'c.yml', line: 1, column: 1, message: 'bad' },
      ],
      nextStep: [],
    });
    expect(md).toContain('2 problems to fix:');
    expect(md).toContain(
      '| [r.yml:3:5](https://gh/blob/sha/r.yml#L3) | `release`: must be a string |',
    );
    expect(md).toContain('| `c.yml:1:1` | bad |');
    const one = renderStatusComment({
      phase: 'invalid',
      requestFile: 'r.yml',
      problems: [{ file: 'r.yml', line: 1, column: 1, message: 'x' }],
      nextStep: [],
    });
    expect(one).toContain('1 problem to fix:');
    expect(one).toContain('| `r.yml:1:1` | x |');
    expect(renderStatusComment({ phase: 'invalid', problems: [], nextStep: [] })).not.toContain(
      'to fix',
    );
  });

  it('a refusal is shown as a paragraph; every phase has its title', () => {
    const md = renderStatusComment({ phase: 'refused', refusal: 'No <b>forks</b>.', nextStep: [] });
    expect(md).toContain('### ⛔ Deploy request: refused\n\nNo \\<b\\>forks\\</b\\>.');
    for (const [phase, title] of [
      ['ignored', '⚪ Not a deploy request'],
      ['checks-failed', '❌ Deploy request: environment checks failed'],
      ['awaiting-confirmation', '🟡 Deploy request: awaiting confirmation'],
      ['deployed', '🚀 Deploy request: deployed'],
      ['deploy-failed', '❌ Deploy request: deployment failed'],
      ['cancelled', '⚪ Deploy request: cancelled'],
      ['approved', '✅ Deploy request: approved, checking the servers'],
    ] as const) {
      expect(renderStatusComment({ phase, nextStep: [] })).toMatch(new RegExp(`^### ${title}\n`));
    }
  });

  it('approval stages: counts, status, who approved (mentioned), who is still needed', () => {
    const state = approval(
      [
        stage({ name: 'lead', status: 'met', approvedBy: ['tina', 'alice'], missing: 0 }),
        stage({
          name: 'ops',
          required: 2,
          status: 'pending',
          approvedBy: ['olga'],
          eligible: ['oscar', 'otto'],
          missing: 1,
        }),
        stage({
          name: 'sec',
          status: 'waiting',
          waitingFor: 'ops',
          eligible: ['sam', 'sue'],
          missing: 1,
        }),
        stage({ name: 'qa', status: 'waiting', missing: 0, approvedBy: ['quinn'] }),
        stage({ name: 'empty', status: 'waiting', eligible: [], missing: 1 }),
      ],
      { currentStage: 1 },
    );
    const md = renderStatusComment({ phase: 'awaiting-approval', approval: state, nextStep: [] });
    expect(md).toContain('| Stage | Approvals | Status | Approved by | Still needed |');
    expect(md).toContain('| 1. lead | 1 of 1 | ✅ approved | @tina, @alice | — |');
    expect(md).toContain(
      '| 2. ops | 1 of 2 | ⏳ waiting for approvals | @olga | 1 more from: @oscar, @otto |',
    );
    expect(md).toContain(
      '| 3. sec | 0 of 1 | ⏸️ waiting for ops | — | 1 more from: sam, sue (after ops) |',
    );
    expect(md).toContain(
      '| 4. qa | 1 of 1 | ⏸️ waiting for an earlier stage | @quinn | none; counts after the earlier stages |',
    );
    expect(md).toContain(
      '| 5. empty | 0 of 1 | ⏸️ waiting for an earlier stage | — | 1 more from: — (after the earlier stages) |',
    );
    // People of a waiting stage are not pinged.
    expect(mentions(md)).toEqual(['tina', 'alice', 'olga', 'oscar', 'otto', 'quinn']);
  });

  it('blocked and unreachable stages; notes for stale approvals and changes requested', () => {
    const state = approval(
      [
        stage({
          name: 'lead',
          status: 'blocked',
          approvedBy: ['tina'],
          changesRequestedBy: ['alice'],
          stale: [{ user: 'bob', commitId: 'abcdef0123456' }],
          missing: 0,
        }),
        stage({ name: 'ops', unreachable: 'only 1 eligible reviewer for 2 approvals', missing: 2 }),
      ],
      { blockedBy: ['alice'] },
    );
    const md = renderStatusComment({ phase: 'awaiting-approval', approval: state, nextStep: [] });
    expect(md).toContain(
      '| 1. lead | 1 of 1 | ⛔ changes requested | @tina | @alice to approve or be dismissed |',
    );
    expect(md).toContain('| only 1 eligible reviewer for 2 approvals |');
    expect(md).toContain('- @bob approved an older commit `abcdef0`: stale, please review again.');
    expect(md).toContain(
      '- @alice requested changes: blocks the request until they approve or the review is dismissed.',
    );
  });

  it('ignored approvals are explained once each, named as code (nobody pinged)', () => {
    const state = approval(
      [stage({ name: 'lead', approvedBy: ['Tina'] }), stage({ name: 'ops' })],
      {
        ignored: [
          { user: 'dev', reason: 'author' },
          { user: 'dev', reason: 'author' },
          { user: 'ci[bot]', reason: 'bot' },
          { user: 'eve', reason: 'not-a-reviewer' },
          { user: 'tina', reason: 'already-counted', stage: 'ops' },
          { user: 'zed', reason: 'already-counted' },
          { user: 'bob', reason: 'stale' },
          { user: 'carl', reason: 'superseded' },
        ],
      },
    );
    const md = renderStatusComment({ phase: 'awaiting-approval', approval: state, nextStep: [] });
    const notes = md.split('\n').filter((l) => l.startsWith('- '));
    expect(notes).toEqual([
      '- `dev` approved, but the author of the request cannot approve it.',
      '- `ci[bot]` approved, but approvals from bots never count.',
      '- `eve` approved, but is not a reviewer of any stage.',
      '- `tina` counts for lead; a person counts once, so not for ops too.',
      '- `zed` counts for another stage; a person counts once, so not for this stage too.',
    ]);
    expect(mentions(md)).toEqual(['Tina']);
  });

  it('no notes: no list', () => {
    const md = renderStatusComment({
      phase: 'awaiting-approval',
      approval: approval([stage({ name: 'lead', eligible: ['a'] })]),
      nextStep: [],
    });
    expect(md).not.toMatch(/^- /m);
  });
});

describe('environmentBlocks', () => {
  const result = (o: Partial<ServerEnvironmentResult>): ServerEnvironmentResult => ({
    server: 'web-1',
    host: 'h',
    reachable: true,
    provision: [],
    checks: [],
    passed: true,
    ms: 1,
    ...o,
  });

  it('one row per failure, provision change and check (failures first); a count of ready servers', () => {
    const md = renderMarkdown(
      environmentBlocks([
        result({
          provision: [
            { kind: 'directory', target: '/srv', status: 'unchanged' },
            { kind: 'file', target: '/srv/app.env', status: 'created' },
            { kind: 'command', target: 'runtime', status: 'failed', detail: 'exit 3' },
          ],
          checks: [
            { name: 'os', expected: '', actual: 'Linux', passed: true, info: true },
            { name: 'disk', expected: '≥ 512 MB', actual: '100 MB', passed: false },
          ],
          passed: false,
        }),
        result({ server: 'web-2', reachable: false, error: 'connect: refused', passed: false }),
        result({
          server: 'web-3',
          checks: [{ name: 'tar', expected: 'on PATH', actual: 'yes', passed: true }],
        }),
      ]),
    );
    expect(md).toContain('#### Servers: 1 of 3 ready');
    const rows = md.split('\n').filter((l) => l.startsWith('| web'));
    expect(rows).toEqual([
      '| web-1 | provision file | `/srv/app.env` | created | ✅ |',
      '| web-1 | provision command | `runtime` | failed: exit 3 | ❌ |',
      '| web-1 | disk | ≥ 512 MB | 100 MB | ❌ |',
      '| web-1 | os | — | Linux | ℹ️ |',
      '| web-2 | connection | reachable | connect: refused | ❌ |',
      '| web-3 | tar | on PATH | yes | ✅ |',
    ]);
  });

  it('is part of the status comment when given', () => {
    expect(
      renderStatusComment({ phase: 'checks-failed', environment: [result({})], nextStep: [] }),
    ).toContain('#### Servers: 1 of 1 ready');
  });
});

describe('renderConfirmation', () => {
  const plan = (artifact: Plan['artifact'], variables: Record<string, string> = {}): Plan => ({
    application: 'web',
    release: '1.4.2',
    environment: 'staging',
    reason: 'r',
    artifact,
    servers: [],
    batches: [['web-1'], ['web-2', 'web-3']],
    stages: [],
    checks: [],
    variables,
  });
  const base = {
    digest: '0123456789abcdef'.repeat(4),
    expiresAt: '2026-01-02T03:04:05.000Z',
    requester: 'dev',
    prefix: '/',
    results: [],
    approvers: ['tina', 'olga'],
    headSha: 'f'.repeat(40),
  };

  it('the exact plan, the command to copy with 16 digest characters, the expiry', () => {
    const md = renderConfirmation({
      ...base,
      plan: plan({ url: 'https://x/web.tgz', sha256: 'ab'.repeat(32) }, { FEATURE: 'on', B: '1' }),
    });
    expect(md).toMatch(/^### 🟡 Confirm this deployment\n/);
    expect(md).toContain('@dev, this is the exact plan:');
    expect(md).toContain(`| Artifact | \`https://x/web.tgz\` sha256 \`${'ab'.repeat(32)}\` |`);
    expect(md).toContain('| Batches | 1: web-1 → 2: web-2, web-3 |');
    expect(md).toContain('| Variables | FEATURE=on, B=1 |');
    expect(md).toContain('| Approved by | @tina, @olga |');
    expect(md).toContain(`| Digest | \`${base.digest}\` |`);
    expect(md).toContain('```\n/confirm 0123456789abcdef\n```');
    expect(md).toContain('This prompt expires at 2026-01-02T03:04:05.000Z.');
    expect(mentions(md)).toEqual(['dev', 'tina', 'olga']);
  });

  it('release assets and workspace paths, always with their sha256; no variables', () => {
    const assetSha = renderConfirmation({
      ...base,
      plan: plan({ release_asset: { tag: 'v1', name: 'a.tgz' }, sha256: 'cd'.repeat(32) }),
    });
    expect(assetSha).toContain(`| Artifact | \`v1/a.tgz\` sha256 \`${'cd'.repeat(32)}\` |`);
    expect(assetSha).toContain('| Variables | — |');
    expect(
      renderConfirmation({ ...base, plan: plan({ path: 'b/w.tgz', sha256: 'ef'.repeat(32) }) }),
    ).toContain(`| Artifact | \`b/w.tgz\` sha256 \`${'ef'.repeat(32)}\` |`);
  });

  it('require_checks: the commit the checks passed on, each check ticked', () => {
    const md = renderConfirmation({
      ...base,
      plan: plan({ release_asset: { tag: 'v1', name: 'a.tgz' }, sha256: 'cd'.repeat(32) }),
      requiredChecks: {
        commit: '0123456789abcdef0123456789abcdef01234567',
        what: 'tag v1',
        passed: true,
        checks: [
          { name: 'build', state: 'success', detail: 'completed: success' },
          { name: 'test', state: 'success', detail: 'status: success' },
        ],
      },
    });
    expect(md).toContain('| Checks | built from `0123456` — build ✓ test ✓ (tag v1) |');
  });
});

describe('deploy result', () => {
  const server = (o: Partial<ServerDeployResult> & { server: string }): ServerDeployResult => ({
    ok: true,
    releaseId: '20260101T000000Z-abc',
    switched: true,
    rolledBack: false,
    health: 'passed',
    durationMs: 1234,
    steps: [],
    ...o,
  });

  it('per server: result, release, health, rollback, time, error; untouched servers listed', () => {
    const rollout: RolloutResult = {
      ok: false,
      stopped: true,
      reason: 'web-2 failed; no further batch started.',
      batches: [['web-1'], ['web-2'], ['web-3']],
      results: [
        server({ server: 'web-1', previousRelease: 'old-1' }),
        server({
          server: 'web-2',
          ok: false,
          releaseId: '',
          health: 'failed',
          rolledBack: true,
          error: 'health | failed',
        }),
      ],
      untouched: ['web-3'],
      rollbacks: [{ server: 'web-1', ok: true, rolledBack: true, durationMs: 5, steps: [] }],
    };
    const md = renderDeployResult({
      ok: false,
      application: 'web',
      release: '1.4.2',
      environment: 'staging',
      releaseId: '20260101T000000Z-abc',
      rollout,
      runUrl: 'https://gh/run/1',
    });
    expect(md).toMatch(/^### ❌ Deployment of web 1\.4\.2 to staging failed\n/);
    expect(md).toContain(
      '1 of 3 servers on release `20260101T000000Z-abc`. web-2 failed; no further batch started.',
    );
    const rows = md.split('\n').filter((l) => l.startsWith('| web'));
    expect(rows).toEqual([
      '| web-1 | ✅ deployed | `20260101T000000Z-abc` | passed | yes → old-1 | 1.2 s |   |',
      '| web-2 | ❌ failed | — | failed | yes → previous | 1.2 s | health \\| failed |',
      '| web-3 | ⏭️ not started | — | — | no | — | an earlier batch failed |',
    ]);
    expect(md).toContain('[Run log](https://gh/run/1) (grouped per server, with timings).');
  });

  it('success: the heading says deployed; no reason sentence', () => {
    const rollout: RolloutResult = {
      ok: true,
      stopped: false,
      batches: [['web-1']],
      results: [server({ server: 'web-1' })],
      untouched: [],
      rollbacks: [],
    };
    const md = renderDeployResult({
      ok: true,
      application: 'web',
      release: '1.4.2',
      environment: 'staging',
      releaseId: 'r',
      rollout,
      runUrl: 'u',
    });
    expect(md).toMatch(
      /^### 🚀 Deployed web 1\.4\.2 to staging\n\n1 of 1 servers on release `r`\.\n/,
    );
    expect(renderMarkdown(deployTableBlocks(rollout))).toContain('| web-1 | ✅ deployed |');
    expect(md).toContain('| no |');
  });
});

describe('replies', () => {
  it('help: the table of commands with the prefix; an unknown word first', () => {
    const help = helpReply('/');
    expect(help).toMatch(/^deploy-request commands \(first line of a comment\):/);
    expect(help).toContain(
      '| `/confirm <digest>` | Deploy the plan of the confirmation comment (requester only). |',
    );
    expect(help).toContain('| `/help` | Show this list. |');
    expect(helpReply('/', 'deploy')).toMatch(/^`\/deploy` is not a deploy-request command\.\n\n/);
  });

  it('refusal: the command as code, the reason, and that nothing ran', () => {
    expect(refusalReply('/confirm', ['only ', { mention: 'dev' }, ' may.'])).toBe(
      '⛔ `/confirm` was refused: only @dev may.\n\nNothing was run.\n',
    );
    // Our reasons name commands in backticks: shown as code, not as escaped backticks.
    expect(refusalReply('/recheck', ['comment `/confirm 0123` <first>'])).toBe(
      '⛔ `/recheck` was refused: comment `/confirm 0123` \\<first\\>\n\nNothing was run.\n',
    );
  });

  it('notice: one paragraph', () => {
    expect(noticeReply(['done ', { code: 'x' }])).toBe('done `x`\n');
  });
});
