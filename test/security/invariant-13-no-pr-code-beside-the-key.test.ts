// SPEC §4 invariant 13: no job that holds the SSH key checks out, builds or runs pull-request
// code, nor downloads anything into a place that pull-request content controls. Every workflow
// we ship or document (docs/examples/workflows/*.yml, .github/workflows/*.yml, the README's
// workflow blocks) is scanned; the scanner is shown to catch each way of breaking the rule.
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readRepoFile, yamlBlocks } from '../docs/support.js';
import { keyJobViolations } from './workflow-scan.js';

async function workflowFiles(dir: string): Promise<string[]> {
  const names = await readdir(new URL(`../../${dir}/`, import.meta.url));
  return names.filter((n) => /\.ya?ml$/.test(n)).map((n) => `${dir}/${n}`);
}

const job = (steps: string) => `on: issue_comment
jobs:
  operate:
    runs-on: ubuntu-latest
    environment: deploy-request
    steps:
${steps}      - uses: deploy-request/deploy-request@v1
        with:
          ssh-private-key: \${{ secrets.DEPLOY_SSH_KEY }}
`;

describe('invariant 13: no pull-request code beside the key', () => {
  it('the scanner catches every way of breaking the rule', () => {
    const cases: Array<[string, RegExp]> = [
      [
        `      - uses: actions/checkout@v4\n        with:\n          ref: refs/pull/1/head\n`,
        /checks out ref refs\/pull\/1\/head/,
      ],
      [
        `      - uses: actions/checkout@v4\n        with:\n          ref: \${{ needs.build.outputs.sha }}\n`,
        /checks out ref/,
      ],
      [
        `      - uses: actions/checkout@v4\n        with:\n          repository: x/y\n`,
        /repository/,
      ],
      [`      - uses: ./.github/actions/setup\n`, /runs a local action/],
      [
        `      - uses: actions/download-artifact@v4\n        with:\n          path: build/\n`,
        /downloads into build\//,
      ],
      [`      - uses: actions/download-artifact@v4\n`, /downloads into the workspace/],
      [
        `      - uses: actions/download-artifact@v4\n        with:\n          path: \${{ runner.temp }}/../ws\n`,
        /downloads into/,
      ],
      [
        `      - uses: actions/download-artifact@v4\n        with:\n          path: $RUNNER_TEMP/b\n      - run: ./b/x.sh\n`,
        /runs a command after a download/,
      ],
    ];
    for (const [steps, expected] of cases) {
      expect(keyJobViolations(job(steps), 'w.yml').join('\n'), steps).toMatch(expected);
    }
    const artifactDir = job('').replace(
      'ssh-private-key:',
      'artifact-dir: build\n          ssh-private-key:',
    );
    expect(keyJobViolations(artifactDir, 'w.yml').join('\n')).toMatch(
      /reads the artifact from build/,
    );
    const reusable = `on: issue_comment\njobs:\n  x:\n    uses: o/r/.github/workflows/w.yml@v1\n    secrets:\n      ssh-private-key: \${{ secrets.DEPLOY_SSH_KEY }}\n`;
    expect(keyJobViolations(reusable, 'w.yml').join('\n')).toMatch(/cannot be checked/);
    // Allowed: the default ref, a download into RUNNER_TEMP, commands before any download.
    const fine = job(
      `      - run: echo start\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n      - uses: actions/download-artifact@v4\n        with:\n          path: \${{ runner.temp }}/b\n`,
    );
    expect(keyJobViolations(fine, 'w.yml')).toEqual([]);
  });

  it('every example and repository workflow keeps the key away from pull-request code', async () => {
    const files = [
      ...(await workflowFiles('docs/examples/workflows')),
      ...(await workflowFiles('.github/workflows')),
    ];
    expect(files).toEqual(
      expect.arrayContaining([
        'docs/examples/workflows/deploy-request.yml',
        'docs/examples/workflows/deploy-request-build.yml',
      ]),
    );
    for (const file of files) {
      expect(keyJobViolations(await readRepoFile(file), file), file).toEqual([]);
    }
  });

  it('every README workflow block does too, and at least one of them holds the key', async () => {
    const blocks = yamlBlocks(await readRepoFile('README.md')).filter((b) => b.kind === 'workflow');
    expect(blocks.some((b) => b.text.includes('ssh-private-key'))).toBe(true);
    for (const block of blocks) {
      expect(keyJobViolations(block.text, `README.md:${block.line}`)).toEqual([]);
    }
  });
});
