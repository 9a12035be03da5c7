// The deployment request file a PR adds (deploy-requests/**/*.yml). Data only: nothing in it is executed.
// Mirrors schemas/deploy-request.schema.json (test/config/schema-types.test.ts keeps the two in step).

export type ArtifactSource =
  | { url: string; sha256: string }
  | { release_asset: { tag: string; name: string }; sha256?: string }
  | { path: string; sha256?: string };

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
