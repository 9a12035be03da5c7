// The fake port's repository slices: files, refs, release assets, workflow dispatch and team
// members. Each mirrors its real slice in src/github/ (the same null for "absent", the same
// false for "exists", the same messages), over what the stand-in's routes would do.
import { Readable } from 'node:stream';
import { dispatchRefusal } from '../../../src/github/dispatch-refusal.js';
import {
  FileTooLargeError,
  GitHubAccessError,
  GitHubConflictError,
  GitHubForbiddenError,
  GitHubNotFoundError,
} from '../../../src/github/errors.js';
import type { GitHubPort } from '../../../src/github/port.js';
import { ReleaseAssetError } from '../../../src/github/release-asset.js';
import { dispatchWorkflow } from '../github-stand-in/actions.js';
import { blobSha } from '../github-stand-in/git.js';
import { forbiddenIntegration, HttpError, notFound } from '../github-stand-in/http.js';
import { branchMoved } from '../github-stand-in/pull-ops.js';
import { byteLength, releaseByTag, type AssetBytes } from '../github-stand-in/releases.js';
import type { FakeContext } from './request.js';

type RepoPort = Pick<
  GitHubPort,
  | 'getDefaultBranch'
  | 'getFileText'
  | 'getFile'
  | 'findReleaseAsset'
  | 'createRef'
  | 'getRefSha'
  | 'deleteRef'
  | 'dispatchWorkflow'
  | 'listTeamMembers'
>;

/** What the contents API inlines: files up to 1 MiB. */
const INLINE_LIMIT = 1024 * 1024;

export function repoPort({ state: s, request, membersRequest }: FakeContext): RepoPort {
  function getFile(path: string, ref: string): { text: string; sha: string } | null {
    try {
      return request('getFile', () => {
        const sha = s.git.resolve(ref);
        if (!sha) throw new HttpError(404, `No commit found for the ref ${ref}`);
        // A directory (listed, not a file) reads as absent too, as in the real port.
        const text = s.git.tree(sha)[path.replace(/^\/+|\/+$/g, '')];
        if (text === undefined) return null;
        const size = Buffer.byteLength(text, 'utf8');
        if (size > INLINE_LIMIT) throw new FileTooLargeError(path, size);
        return { text, sha: blobSha(text) };
      });
    } catch (error) {
      if (error instanceof GitHubNotFoundError) return null;
      throw error;
    }
  }

  function getRefSha(ref: string): string | null {
    try {
      return request('getRefSha', () => {
        const sha = s.git.refs.get(`refs/${ref}`);
        if (!sha) throw notFound();
        return sha;
      });
    } catch (error) {
      if (error instanceof GitHubNotFoundError) return null;
      throw error;
    }
  }

  return {
    getDefaultBranch: async () => request('getDefaultBranch', () => s.defaultBranch),
    getFileText: async (path, ref) => getFile(path, ref)?.text ?? null,
    getFile: async (path, ref) => getFile(path, ref),

    async createRef(ref, sha) {
      try {
        return request('createRef', () => {
          const full = `refs/${ref}`;
          if (!/^refs\/[^/]+\/.+/.test(full))
            throw new HttpError(422, `${full} is not a valid ref name.`);
          if (!s.git.get(sha)) throw new HttpError(422, 'Object does not exist');
          if (s.git.refs.has(full)) throw new HttpError(422, 'Reference already exists');
          s.git.refs.set(full, sha);
          branchMoved(s, full, sha);
          return true;
        });
      } catch (error) {
        if (error instanceof GitHubConflictError) return false;
        throw error;
      }
    },

    getRefSha: async (ref) => getRefSha(ref),

    async deleteRef(ref) {
      try {
        request('deleteRef', () => {
          if (!s.git.refs.delete(`refs/${ref}`))
            throw new HttpError(422, 'Reference does not exist');
        });
      } catch (error) {
        if (!(error instanceof GitHubNotFoundError || error instanceof GitHubConflictError))
          throw error;
      }
    },

    async findReleaseAsset(tag, name) {
      let release;
      try {
        release = request('findReleaseAsset', () => releaseByTag(s, tag) ?? throwing(notFound()));
      } catch (error) {
        if (error instanceof GitHubNotFoundError) {
          throw new ReleaseAssetError(
            `this repository has no release with tag ${tag} (GitHub answered 404); publish the release, or fix \`artifact.release_asset.tag\``,
          );
        }
        throw error;
      }
      const asset = release.assets.find((a) => a.name === name);
      if (!asset) {
        throw new ReleaseAssetError(
          `release ${tag} has no asset named ${name}; its assets: ${release.assets.map((a) => a.name).join(', ') || 'none'}. Upload it, or fix \`artifact.release_asset.name\``,
        );
      }
      // The bytes come straight from the store: the download host's rules are the stand-in's.
      return {
        size: asset.listedSize ?? byteLength(asset.bytes),
        open: async () => bytesOf(asset.bytes),
      };
    },

    async dispatchWorkflow(workflowFile, ref, inputs) {
      const workflowId = workflowFile.split('/').pop() ?? workflowFile;
      try {
        request('dispatchWorkflow', (tok) =>
          dispatchWorkflow(s, workflowId, ref, inputs, tok.login),
        );
      } catch (error) {
        throw dispatchRefusal(error, workflowFile, ref) ?? error;
      }
    },

    async listTeamMembers(org, teamSlug) {
      try {
        return membersRequest('listTeamMembers', (tok) => {
          if (!tok.readTeams) throw forbiddenIntegration('members=read');
          const team = s.team(org, teamSlug);
          if (!team) throw notFound();
          return [...team.members];
        });
      } catch (error) {
        const refused = error instanceof GitHubForbiddenError && error.status === 403;
        if (refused || error instanceof GitHubNotFoundError) {
          throw new GitHubAccessError(
            `Cannot read the members of team ${org}/${teamSlug} (${error.status}). The workflow's GITHUB_TOKEN cannot read organisation teams: pass a token with \`read:org\` (classic) or organisation "Members: read" (fine-grained / GitHub App) as the \`members-token\` input, and check the team slug.`,
          );
        }
        throw error;
      }
    },
  };
}

function throwing(error: Error): never {
  throw error;
}

/** An asset's bytes as a stream; generated ones (gigabytes) are never held whole. */
function bytesOf(bytes: AssetBytes): Readable {
  if (Buffer.isBuffer(bytes)) return Readable.from([bytes]);
  let left = bytes.size;
  return new Readable({
    read() {
      const n = Math.min(64 * 1024, left);
      left -= n;
      this.push(n === 0 ? null : Buffer.alloc(n, bytes.fill ?? 0));
    },
  });
}
