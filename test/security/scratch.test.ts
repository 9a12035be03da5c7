import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  blockingHook, fifo, lockRefs, promptedFlow, releases, resetHome, sessions, useSshServers,
} from './support.js';

const fleet = useSshServers(1);
beforeEach(() => fleet().servers.forEach(resetHome));

describe('scratch', () => {
  it('re-run of the hand-over after deploy', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedFlow(servers, clientKey.privateKey);
    const t0 = performance.now();
    const d = await p.say('dev', `/confirm ${p.digest}`);
    console.log('confirm ms', performance.now() - t0, d.outputs.phase, sessions(servers[0]!));
    const again = await p.dispatch();
    console.log('again', again.outputs.phase, again.outputs['deployment-id'], p.deploymentId);
    const c2 = await p.say('dev', `/confirm ${p.digest}`);
    console.log('c2', c2.outputs.phase, releases(servers[0]!));
  });
  it('cancel mid deploy', async () => {
    const { servers, clientKey } = fleet();
    const p = await promptedFlow(servers, clientKey.privateKey, { deploy: { before_activate: [blockingHook('h')] } });
    const go = fifo(servers[0]!, 'h.go');
    const started = fifo(servers[0]!, 'h.started');
    const running = p.say('dev', `/confirm ${p.digest}`);
    readFileSync(started);
    console.log('locks mid', lockRefs(p.gh));
    const cancel = await p.say('dev', '/cancel');
    console.log('cancel', cancel.outputs.phase, lockRefs(p.gh));
    writeFileSync(go, 'go');
    const r = await running;
    console.log('deploy', r.outputs.phase, lockRefs(p.gh), p.gh.deploymentState(p.deploymentId));
  });
});
