// The deployment key of a trusted run, parsed once: it opens the SSH connections and derives the
// key that signs and verifies the records the run keeps in GitHub (src/state/). A run without it
// can neither deploy nor trust any prompt, so it stops with a setup error.
import { loadSshLibrary } from '../ssh/load-library.js';
import type { ValidPrivateKey } from '../ssh/private-key.js';
import type { TrustedState } from '../state/prompts.js';
import { stateSignerFor } from '../state/state-signer.js';
import type { RunContext } from './run-context.js';
import { SetupError } from './settings.js';

export interface TrustedKey {
  privateKey: ValidPrivateKey;
  state: TrustedState;
}

// The promise is kept, so that steps asking at once still decrypt the key only once.
const parsed = new WeakMap<RunContext['settings'], Promise<TrustedKey>>();

export function trustedKey(ctx: RunContext): Promise<TrustedKey> {
  let known = parsed.get(ctx.settings);
  if (!known) {
    known = readTrustedKey(ctx);
    parsed.set(ctx.settings, known);
  }
  return known;
}

async function readTrustedKey(ctx: RunContext): Promise<TrustedKey> {
  const { sshPrivateKey, sshPassphrase, repo } = ctx.settings;
  if (!sshPrivateKey) {
    throw new SetupError(
      'Input `ssh-private-key` is empty: this trusted run needs the deployment key. Pass `ssh-private-key: ${{ secrets.DEPLOY_SSH_KEY }}` in the job bound to your deployment environment.',
    );
  }
  const { parsePrivateKey } = await loadSshLibrary();
  const key = parsePrivateKey(sshPrivateKey, sshPassphrase);
  if (!key.ok) throw new SetupError(`Input \`ssh-private-key\`: ${key.message}`);
  return {
    privateKey: key,
    state: { signer: stateSignerFor(key, repo), warn: (line) => ctx.log.warning(line) },
  };
}
