import { describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST_PATHS } from '../../../src/config/types.js';
import { selectRequestFiles } from '../../../src/request/find-request-files.js';

describe('selectRequestFiles', () => {
  const files = [
    { filename: 'deploy-requests/web.yml', status: 'added' },
    { filename: 'deploy-requests/team/api.yaml', status: 'modified' },
    { filename: 'deploy-requests/.hidden/x.yml', status: 'added' },
    { filename: 'deploy-requests/readme.md', status: 'added' },
    { filename: 'src/deploy-requests/web.yml', status: 'added' },
    { filename: 'deploy-requests/old.yml', status: 'removed' },
  ];

  it('keeps files matching the default patterns, dot directories included, in order, any status', () => {
    expect(selectRequestFiles(files, DEFAULT_REQUEST_PATHS).map((f) => f.filename)).toEqual([
      'deploy-requests/web.yml',
      'deploy-requests/team/api.yaml',
      'deploy-requests/.hidden/x.yml',
      'deploy-requests/old.yml',
    ]);
  });

  it('uses the configured patterns only', () => {
    expect(selectRequestFiles(files, ['**/readme.md'])).toEqual([
      { filename: 'deploy-requests/readme.md', status: 'added' },
    ]);
    expect(selectRequestFiles(files, [])).toEqual([]);
  });
});
