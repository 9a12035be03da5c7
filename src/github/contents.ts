// The repository and its files: the default branch, a file's text and blob SHA at a ref, and
// release assets (release-asset.ts streams their bytes).
import { attempt, FileTooLargeError, GitHubNotFoundError } from './errors.js';
import type { PortContext } from './port-context.js';
import type { GitHubPort } from './port.js';
import { findReleaseAsset } from './release-asset.js';

export type ContentsPort = Pick<
  GitHubPort,
  'getDefaultBranch' | 'getFileText' | 'getFile' | 'findReleaseAsset'
>;

export function contentsPort({ client, repo }: PortContext): ContentsPort {
  async function getFile(path: string, ref: string): Promise<{ text: string; sha: string } | null> {
    try {
      const { data } = await attempt('getFile', () =>
        client.rest.repos.getContent({ ...repo, path, ref }),
      );
      if (Array.isArray(data) || data.type !== 'file') return null;
      // Over 1 MiB GitHub sends no content (encoding "none"): never mistake that for empty.
      if ('encoding' in data && data.encoding === 'none' && data.size > 0)
        throw new FileTooLargeError(path, data.size);
      const content = 'content' in data ? data.content : '';
      return { text: Buffer.from(content, 'base64').toString('utf8'), sha: data.sha };
    } catch (error) {
      if (error instanceof GitHubNotFoundError) return null;
      throw error;
    }
  }

  return {
    async getDefaultBranch() {
      const { data } = await client.rest.repos.get({ ...repo });
      return data.default_branch;
    },
    async getFileText(path, ref) {
      return (await getFile(path, ref))?.text ?? null;
    },
    getFile,
    findReleaseAsset: (tag, name) => findReleaseAsset(client, repo, tag, name),
  };
}
