// The deployment request file a PR adds (deploy-requests/**/*.yml). Data only: nothing in it is executed.
// Mirrors schemas/deploy-request.schema.json (test/unit/config/schema-types.test.ts keeps the two in step).

// Every kind carries the SHA-256 approvers saw: the bytes are bound at approval (SPEC §4.12).
export type ArtifactSource =
  | { url: string; sha256: string }
  | { release_asset: { tag: string; name: string }; sha256: string }
  | { path: string; sha256: string };

export interface DeployRequest {
  version: 1;
  application: string;
  environment: string;
  /** The application's version label. */
  release: string;
  artifact: ArtifactSource;
  /** Optional subset of the environment's servers; all of them when absent. */
  servers?: string[];
  reason: string;
  /** Only names listed in the environment's deploy.request_variables. */
  variables?: Record<string, string>;
}
