// The two ways a request is withdrawn: /cancel from the requester (a trusted run: it signs its
// prompts inactive and releases this PR's lock) and pull_request closed (the gate: no key, so it
// only updates what people see). The withdrawing itself is steps/withdraw-request.
import { loginKey } from '../domain/logins.js';
import type { Outcome } from '../edge/outcome.js';
import type { RunContext } from '../edge/run-context.js';
import { trustedKey } from '../edge/trusted-key.js';
import type { PullRequestInfo } from '../github/port.js';
import { refusalReply } from '../report/replies.js';
import { withdrawRequest } from '../steps/withdraw-request.js';

/** /cancel: only the requester may withdraw the request. `typed` is the command as written. */
export async function handleCancel(
  ctx: RunContext,
  pullNumber: number,
  commenter: string,
  typed: string,
): Promise<Outcome> {
  const { github } = ctx;
  const pull = await github.getPull(pullNumber);
  if (loginKey(commenter) !== loginKey(pull.author)) {
    await github.createComment(
      pullNumber,
      refusalReply(typed, [
        'only the requester ',
        { mention: pull.author },
        ' may cancel this request.',
      ]),
    );
    return {
      phase: 'refused',
      message: `${typed} from someone other than the requester was refused.`,
    };
  }
  return withdrawRequest(
    ctx,
    pull,
    `@${pull.author} cancelled the deploy request.`,
    (await trustedKey(ctx)).state,
  );
}

/** pull_request closed (merged or not). */
export async function handleClosed(ctx: RunContext, pull: PullRequestInfo): Promise<Outcome> {
  return withdrawRequest(
    ctx,
    pull,
    `The pull request was ${pull.merged ? 'merged' : 'closed'}; the deploy request is withdrawn.`,
  );
}
