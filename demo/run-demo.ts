import { join } from 'node:path';
import { GitHubStandIn } from '../test/support/github-stand-in/index.js';
import { pullRequestEvent, pullRequestReviewEvent, workflowDispatchEvent, issueCommentEvent } from '../test/support/events.js';
import { runAction } from '../test/support/run-action.js';
import { startSshServers } from '../test/support/sshd.js';
import { ensureSshd } from '../test/support/ensure-sshd.js';
import { buildWorkspace, checkout, CONFIG_PATH, demoConfig, demoRequest, freePort, REQUEST_PATH } from './fixture.js';

export async function main(): Promise<number> {
  await ensureSshd();
  const fleet = await startSshServers(2);
  const port = await freePort();
  const gh = new GitHubStandIn({ files: { [CONFIG_PATH]: demoConfig(fleet.servers, port), 'README.md': '# app\n' }, teams: { ops: ['olga', 'oscar'] } });
  await gh.start();
  const { workspace, sha256 } = buildWorkspace();
  const entry = join(process.cwd(), 'dist/index.js');
  const run = (eventName: string, payload: object, key?: string) => runAction({ gh, entry, eventName, payload, cwd: workspace, inputs: { 'members-token': gh.tokens.members, ...(key ? { 'ssh-private-key': key } : {}) } });
  const { number, headSha } = gh.openPull({ author: 'dev', title: 'Deploy web 1.4.2 to staging', headFiles: { [REQUEST_PATH]: demoRequest(sha256) } });
  checkout(workspace, headSha);
  const seen = new Map<number, string>();
  const dump = (label: string, r: Awaited<ReturnType<typeof run>>) => {
    console.log(`\n######## ${label}: phase=${r.outputs.phase} code=${r.code} ${r.durationMs}ms`);
    if (r.code !== 0) console.log(r.stdout, r.stderr);
    for (const c of gh.comments(number)) {
      if (seen.get(c.id) === c.body) continue;
      seen.set(c.id, c.body);
      console.log(`--- comment ${c.id} by ${c.user}\n${c.body}`);
    }
    console.log('requested', gh.requestedReviewers(number));
    console.log('statuses', gh.combinedStatus(gh.pull(number).headSha).statuses.map((s) => `${s.context} ${s.state} ${s.description}`));
    console.log('deployments', gh.deployments().map((d) => [d.id, gh.deploymentState(d.id)]));
  };
  try {
    dump('opened', await run('pull_request', pullRequestEvent(gh, 'opened', number)));
    for (const u of ['alice', 'olga', 'oscar']) {
      const id = gh.review(number, u, 'APPROVED');
      dump(u, await run('pull_request_review', pullRequestReviewEvent(gh, 'submitted', number, id)));
    }
    console.log(gh.dispatches());
    const p = await run('workflow_dispatch', workflowDispatchEvent(gh, gh.dispatches()[0]!), fleet.clientKey.privateKey);
    dump('dispatch', p);
    const cid = gh.comment(number, 'dev', `/confirm ${p.outputs.digest}`);
    dump('confirm', await run('issue_comment', issueCommentEvent(gh, 'created', cid), fleet.clientKey.privateKey));
  } finally {
    await gh.close();
    await fleet.stop();
  }
  return 0;
}
