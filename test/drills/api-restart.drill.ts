/**
 * Drill: the API (a child process) is SIGKILLed during a burst of `POST /v1/incidents` and restarted on the
 * same port; the client retries every failed request (network error or 5xx) with the same Idempotency-Key and
 * body. Asserted: every key ends with 201 or 200, one incident id per key, and visibility counts exactly one
 * incident workflow per key (also after replaying the whole burst once more: every replay answers 200).
 */
import { randomBytes } from 'node:crypto';
import { createAccount, incidentBody, pool, startBenchStack } from '../../bench/load-stack';
import { assert, runDrill, sleep, until } from './drill-kit';

const K = 150;

runDrill('API restarted during a burst of idempotent POSTs', async () => {
  const stack = await startBenchStack({ api: 'child', worker: 'inprocess' });
  try {
    const run = randomBytes(4).toString('hex');
    const accountId = `drill-api-${run}`;
    const contact = await createAccount(stack, accountId, 'SP2');
    const ids = new Map<number, string>();
    let retries = 0;
    let answered = 0;
    let restart: Promise<void> | undefined;
    const post = async (i: number) => {
      const body = incidentBody(accountId, contact, 3, { summary: `burst ${i}` });
      const deadline = Date.now() + 90_000;
      for (;;) {
        try {
          const r = await stack.http('POST', '/v1/incidents', body, {
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
        retries++;
        await sleep(250);
      }
    };
    await pool(K, 12, async (i) => {
      const r = await post(i);
      ids.set(i, r.body.incidentId);
      answered++;
      if (answered === 40 && !restart) {
        restart = (async () => {
          await stack.apiChild!.kill('SIGKILL');
          await sleep(1_000);
          await stack.startChildApi();
        })();
      }
    });
    await restart;
    assert.ok(restart, 'the API was restarted mid-burst');
    assert.equal(new Set(ids.values()).size, K, 'one incident id per key');
    const query = `WorkflowType = "incidentWorkflow" AND SlaAccountId = "${accountId}"`;
    await until(async () => (await stack.client.workflow.count(query)).count >= K, 30_000, 'visibility caught up');
    await sleep(2_000);
    assert.equal((await stack.client.workflow.count(query)).count, K, 'exactly one incident workflow per key');
    const replay: number[] = [];
    await pool(K, 12, async (i) => {
      const r = await post(i);
      replay.push(r.status);
      assert.equal(r.body.incidentId, ids.get(i), `replay of key ${i} finds its incident`);
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
    return { keys: K, retriedRequests: retries, incidents: K };
  } finally {
    await stack.teardown();
  }
});
