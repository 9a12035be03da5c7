import { it } from 'vitest';
import { pullRequestEvent, pullRequestReviewEvent } from '../support/events.js';
import { REQUEST_PATH, REQUEST_TEXT, repoWithConfig, run, stickyOf } from './scenario.js';

it('explore', async () => {
  const gh = await repoWithConfig();
  const { number } = gh.openPull({ author: 'dev', headFiles: { [REQUEST_PATH]: REQUEST_TEXT } });
  await run(gh, { eventName: 'pull_request', payload: pullRequestEvent(gh, 'opened', number) });
  const r1 = gh.review(number, 'tina', 'APPROVED');
  gh.clearCalls();
  const res = await run(gh, {
    eventName: 'pull_request_review',
    payload: pullRequestReviewEvent(gh, 'submitted', number, r1),
  });
  console.log(res.outputs, res.durationMs, gh.count({}));
  for (const c of gh.calls({})) console.log(c.method, c.path, c.status);
  const r2 = gh.review(number, 'olga', 'APPROVED');
  gh.clearCalls();
  await run(gh, {
    eventName: 'pull_request_review',
    payload: pullRequestReviewEvent(gh, 'submitted', number, r2),
  });
  for (const c of gh.calls({})) console.log(c.method, c.path, c.status);
  console.log(stickyOf(gh, number));
  console.log(gh.requestedReviewers(number));
});
