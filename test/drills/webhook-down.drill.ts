/**
 * Drill: a webhook subscriber is down (connection refused) for longer than the delivery retry budget
 * (default policy of the workflow: 8 attempts, 1 s doubling to 60 s: about 2 min), while a second
 * subscriber is up. Asserted: the healthy subscriber gets every step of every incident on time (within 5 s
 * of its instant), including incidents opened after the failures began (nothing blocks); once the budget is
 * spent every step is on the incident's timeline as `step.delivery_failed` and in `status.deliveryFailures`
 * naming the failed subscriber; the ladder itself completed.
 */
import { freePort } from '../../libs/devstack/src';
import { subscriber } from '../../bench/load-stack';
import { assert, ladderDrill, LADDER, runDrill, sleep, until } from './drill-kit';

runDrill('webhook receiver down past the retry budget', async () => {
  const downUrl = `http://127.0.0.1:${await freePort()}/hooks`; // nothing listens there
  const drill = await ladderDrill({ worker: 'inprocess', extraSubscribers: [subscriber('down', downUrl)] });
  try {
    // First batch: warn due in 1 s, breach in 16 s. Second batch opened 10 s later (deliveries already failing).
    const first = await drill.open(4, 14_000);
    await sleep(10_000);
    const second = await drill.open(4, 14_000);
    const ids = [...first, ...second];
    await until(() => drill.allDelivered(ids), 60_000, 'healthy subscriber got every step');
    let maxLatenessMs = 0;
    for (const d of drill.receiver.deliveries().filter((x) => ids.includes(x.body?.data?.incidentId))) {
      maxLatenessMs = Math.max(maxLatenessMs, d.receivedAt - Date.parse(d.body.data.stepAt));
    }
    assert.ok(maxLatenessMs < 5_000, `healthy subscriber lateness ${maxLatenessMs} ms < 5 s while the other one fails`);
    const t0 = Date.now();
    const failures = await until(
      async () => {
        const statuses = await Promise.all(
          ids.map((id) => drill.stack.http('GET', `/v1/incidents/${id}`, undefined, { as: 'agent' })),
        );
        const all = statuses.every((s) => s.status === 200 && s.body.deliveryFailures?.length === LADDER.length);
        return all ? statuses.map((s) => s.body) : undefined;
      },
      240_000,
      'every step recorded as a delivery failure once the retry budget is spent',
      2_000,
    );
    for (const status of failures) {
      assert.equal(status.state, 'breached', `${status.incidentId} breached: the ladder went on`);
      for (const f of status.deliveryFailures)
        assert.deepEqual(f.failedSubscribers, ['down'], `${status.incidentId} ${f.stepId} names the failed subscriber`);
      assert.equal(
        status.timeline.filter((e: { type: string }) => e.type === 'step.delivery_failed').length,
        LADDER.length,
        `${status.incidentId} timeline`,
      );
      assert.deepEqual(
        status.ladder.fired.map((s: { delivery: string }) => s.delivery),
        ['failed', 'failed', 'failed'],
      );
    }
    return {
      incidents: ids.length,
      healthyMaxLatenessMs: maxLatenessMs,
      failuresRecorded: failures.length * LADDER.length,
      waitedForBudgetS: Math.round((Date.now() - t0) / 1000),
    };
  } finally {
    await drill.close();
  }
});
