// One behavioural contract for every GitHubPort: the real one over HTTP and the in-memory fake
// handler tests use must answer alike, so a fake more lenient than GitHub fails here.
import { describe } from 'vitest';
import { checkCases } from './check-cases.js';
import { commitCases } from './commit-cases.js';
import { issueCases } from './issue-cases.js';
import { pullCases } from './pull-cases.js';
import { repoCases } from './repo-cases.js';
import type { MakeSubject } from './subject.js';

const FILES = {
  'README.md': '# app\n',
  'dir/a.txt': 'a',
  '.github/workflows/deploy.yml':
    'on:\n  workflow_dispatch:\n    inputs:\n      pull-request:\n        required: true\n',
  '.github/workflows/ci.yml': 'on: push\n',
};

export function portContract(name: string, make: MakeSubject): void {
  const subject = (o: { collaborators?: string[] } = {}) =>
    make({ files: FILES, teams: { ops: ['olga', 'oscar'] }, ...o });
  describe(name, () => {
    describe('repository', () => repoCases(subject));
    describe('pull requests', () => pullCases(subject));
    describe('git commits', () => commitCases(subject));
    describe('checks', () => checkCases(subject));
    describe('issues and labels', () => issueCases(subject));
  });
}
