/**
 * Cluster drill: two API replicas (child processes) against the cluster. A client sends a burst of
 * `POST /v1/incidents` to replica 1, which is SIGKILLed mid-burst; every request that failed there is
 * retried with the same Idempotency-Key and body on replica 2. Asserted: every key ends with 201 or 200,
 * one incident id per key, visibility counts exactly one incident workflow per key, and replaying the
 * whole burst on replica 2 answers 200 with the same incident each time.
 */
import { randomBytes } from 'node:crypto';
import { freePort } from '../../../libs/devstack/src';
import { createAccount, HttpResult, incidentBody, pool, startBenchStack } from '../../../bench/load-stack';
import { apiRequester } from '../../support/http';
import { assert, runDrill, sleep, until } from '../drill-kit';
import { startDrillCluster } from './cluster-kit';

const K = 150;

runDrill('cluster: one API replica SIGKILLed, client retries on the other', async () => {
  const dc = await startDrillCluster();
  const stack = await startBenchStack({ api: 'child', worker: 'child' }).catch(async (error) => {
    await dc.close();
    throw error;
  });
  try {
    const port2 = await freePort();
    await stack.startChildApi(port2, 'api-2');
    const replicas = [stack.http, apiRequester(`http://127.0.0.1:${port2}`, stack.keys)];
    const run = randomBytes(4).toString('hex');
    const accountId = `drill-apikill-${run}`;
    const contact = await createAccount(stack, accountId, 'SP2');
    const ids = new Map<number, string>();
    let retriedOnSecond = 0;
    let answered = 0;
    let killed: Promise<string> | undefined;
    const post = async (i: number, first: number): Promise<HttpResult> => {
      const body = incidentBody(accountId, contact, 3, { summary: `burst ${i}` });
      const deadline = Date.now() + 90_000;
      for (let replica = first; ; replica = 1) {
        try {
          const r = await replicas[replica]('POST', '/v1/incidents', body, {
            as: 'agent',
            headers: { 'Idempotency-Key': `burst-${run}-${i}` },
            timeoutMs: 15_000,
          });
          if (r.status === 201 || r.status === 200) return r;
          if (r.status < 500) throw new Error(`key ${i}: ${r.status} ${JSON.stringify(r.body)}`);
        } catch (error) {
          if (error instanceof Error && error.message.startsWith(`key ${i}:`)) throw error;
        }
        if (Date.now() > deadline) throw new Error(`key ${i}: no answer within 90 s`);
        if (replica === 0) retriedOnSecond++;
        await sleep(100);
      }
    };
    await pool(K, 12, async (i) => {
      const r = await post(i, 0);
      ids.set(i, r.body.incidentId);
      answered++;
      if (answered === 40 && !killed) killed = stack.apiChild!.kill('SIGKILL');
    });
    assert.equal(await killed, 'SIGKILL', 'replica 1 was SIGKILLed mid-burst');
    assert.ok(retriedOnSecond > 0, 'some requests failed on replica 1 and were retried on replica 2');
    assert.equal(new Set(ids.values()).size, K, 'one incident id per key');
    const query = `WorkflowType = "incidentWorkflow" AND SlaAccountId = "${accountId}"`;
    await until(async () => (await stack.client.workflow.count(query)).count >= K, 30_000, 'visibility caught up');
    await sleep(2_000);
    assert.equal((await stack.client.workflow.count(query)).count, K, 'exactly one incident workflow per key');
    const replay: number[] = [];
    await pool(K, 12, async (i) => {
      const r = await post(i, 1);
      replay.push(r.status);
      assert.equal(r.body.incidentId, ids.get(i), `replay of key ${i} on replica 2 finds its incident`);
    });
    assert.ok(
      replay.every((s) => s === 200),
      'every replay answers 200 (already opened)',
    );
    await sleep(2_000);
    assert.equal(
      (await stack.client.workflow.count(query)).count,
      K,
      'still one incident workflow per key after the replay',
    );
    return { keys: K, retriedOnSecond, incidents: K };
  } finally {
    await stack.teardown();
    await dc.close();
  }
});
