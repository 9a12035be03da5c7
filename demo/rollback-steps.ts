// Steps 7–9 of the demo: the next release goes out through the same gates (summarised), then the
// lead rolls it back from its pull request, /rollback and /confirm, and asks for /status. The
// rollback switches `current` back to the release already on every server: nothing is uploaded.
import {
  issueCommentEvent,
  pullRequestEvent,
  pullRequestReviewEvent,
  workflowDispatchEvent,
} from '../test/support/events.js';
import { act, confirmCommand, DemoError, step, type Demo } from './act.js';
import { Conversation } from './conversation.js';
import { buildWorkspace, checkout, demoRequest, NEXT_RELEASE, RELEASE } from './fixture.js';

const NEXT_REQUEST = `deploy-requests/web-${NEXT_RELEASE}.yml`;

async function comment(
  demo: Demo,
  conv: Conversation,
  number: number,
  user: string,
  body: string,
  phase: string,
) {
  const id = demo.gh.comment(number, user, body);
  conv.show();
  await act(
    demo,
    `issue_comment (created by ${user})`,
    'issue_comment',
    issueCommentEvent(demo.gh, 'created', id),
    phase,
    true,
  );
  conv.show();
}

/** Opens the next release's pull request and takes it to deployed; returns its number. */
async function deployNextRelease(demo: Demo): Promise<number> {
  const { gh, out } = demo;
  const s = out.style;
  const { workspace, sha256 } = buildWorkspace(NEXT_RELEASE);
  const { number, headSha } = gh.openPull({
    author: 'dev',
    title: `Deploy web ${NEXT_RELEASE} to staging`,
    headFiles: { [NEXT_REQUEST]: demoRequest(sha256, NEXT_RELEASE) },
  });
  checkout(workspace, headSha);
  demo.workspace = workspace;
  out.line(
    `  ${s.bold('dev')} opened pull request ${s.bold(`#${number}`)} adding ${s.bold(NEXT_REQUEST)} (web ${NEXT_RELEASE}); alice, olga and oscar approve; dev confirms. Only the runs are shown:`,
  );
  await act(
    demo,
    'pull_request (opened)',
    'pull_request',
    pullRequestEvent(gh, 'opened', number),
    'awaiting-approval',
  );
  for (const [i, user] of ['alice', 'olga', 'oscar'].entries()) {
    const reviewId = gh.review(number, user, 'APPROVED');
    await act(
      demo,
      `pull_request_review (submitted by ${user})`,
      'pull_request_review',
      pullRequestReviewEvent(gh, 'submitted', number, reviewId),
      i === 2 ? 'approved' : 'awaiting-approval',
    );
  }
  const dispatch = gh.dispatches().at(-1);
  if (!dispatch) throw new DemoError(`Pull request #${number} was not handed over.`);
  await act(
    demo,
    `workflow_dispatch (pull-request=${number})`,
    'workflow_dispatch',
    workflowDispatchEvent(gh, dispatch),
    'awaiting-confirmation',
    true,
  );
  const id = gh.comment(number, 'dev', confirmCommand(gh, number));
  await act(
    demo,
    'issue_comment (created by dev)',
    'issue_comment',
    issueCommentEvent(gh, 'created', id),
    'deployed',
    true,
  );
  return number;
}

export async function releaseThenRollBack(demo: Demo): Promise<void> {
  const { out } = demo;
  step(out, 7, `web ${NEXT_RELEASE} goes out the same way`);
  const number = await deployNextRelease(demo);
  const conv = new Conversation(demo.gh, number, out);
  conv.catchUp();

  step(out, 8, `${NEXT_RELEASE} misbehaves: alice, the lead, asks to roll back on #${number}`);
  out.line(
    out.style.dim(
      `  /rollback offers the newest earlier release that is complete on every server and not marked bad (${RELEASE}).`,
    ),
  );
  await comment(demo, conv, number, 'alice', '/rollback', 'awaiting-confirmation');

  step(out, 9, 'alice confirms the rollback, then asks for /status');
  await comment(demo, conv, number, 'alice', confirmCommand(demo.gh, number), 'deployed');
  await comment(demo, conv, number, 'alice', '/status', 'ignored');
}
