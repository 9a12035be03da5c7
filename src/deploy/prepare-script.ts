// Round trip 1 on a server (src/remote/deploy-prepare.sh): lock, receive and verify the
// artifact, unpack, link shared entries, write metadata, run before_activate.
import prepare from '../remote/deploy-prepare.sh';
import { exportFunction, numbered } from '../remote/assemble.js';
import { ANNOUNCE_STDIN_READY } from '../ssh/remote-command.js';
import { deployScript } from './remote-shell.js';

export interface PrepareScriptInput {
  deployPath: string;
  digest: string;
  staleMinutes: number;
  releaseId: string;
  sha256: string;
  size: number;
  sharedLinks: string[];
  metadataJson: string;
  beforeActivate: string[];
  env: Record<string, string>;
}

export function prepareScript(input: PrepareScriptInput): string {
  return deployScript(
    input,
    {
      _dr_id: input.releaseId,
      _dr_sha: input.sha256,
      _dr_size: input.size,
      _dr_meta: input.metadataJson,
      ...numbered('_dr_link', input.sharedLinks),
      ...numbered('_dr_before', input.beforeActivate),
    },
    exportFunction('_dr_env', input.env),
    // The runner sends the artifact once the script prints this line (src/ssh/remote-command.ts).
    `_dr_announce_stdin() { ${ANNOUNCE_STDIN_READY}; }\n`,
    prepare,
  );
}
