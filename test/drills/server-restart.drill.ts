/**
 * Drill: the dev server (SQLite file) is stopped while incidents are open and their timers pending, stays
 * down past several step instants, and is restarted on the same port and db file. Asserted: every incident
 * is still there (visibility), every step fires after the restart and is delivered under one webhook-id,
 * fired once, never early. The worker (child process) is left running; if it gave up while the server
 * was down it is restarted, and the drill says so.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../libs/devstack/src';
import { assert, assertLadderExactlyOnce, ladderDrill, runDrill, sleep, until } from './drill-kit';

runDrill('dev server stopped and restarted on the same db', async () => {
  const dbFile = join(mkdtempSync(join(tmpdir(), 'sla-drill-db-')), 'temporal.db');
  const drill = await ladderDrill({ worker: 'child', dbFile, temporalPort: await freePort() });
  try {
    // Entered 8 s ago: warn due in 7 s, at-risk in 14.5 s, breach in 22 s; the server is down from +2 s to ~+14 s.
    const ids = await drill.open(10, 8_000);
    await sleep(2_000);
    const before = drill.receiver.deliveries().length;
    await drill.stack.stopServer();
    await sleep(10_000);
    await drill.stack.startServer();
    const restartedAt = Date.now();
    await sleep(3_000);
    let workerRestarted = false;
    if (drill.stack.workers[0].process.exitCode !== null || drill.stack.workers[0].process.signalCode !== null) {
      workerRestarted = true;
      await drill.stack.startChildWorker('worker-after-server-restart');
    }
    await until(() => drill.allDelivered(ids), 150_000, 'every step delivered after the server restart', 500);
    const { count } = await drill.stack.client.workflow.count(
      `WorkflowType = "incidentWorkflow" AND SlaAccountId = "${drill.accountId}"`,
    );
    assert.equal(count, ids.length, 'incidents still listed after the restart');
    const { repeats, maxLatenessMs } = await assertLadderExactlyOnce(drill, ids);
    const afterRestart = drill.receiver
      .deliveries()
      .filter((d) => ids.includes(d.body?.data?.incidentId) && d.receivedAt >= restartedAt).length;
    return {
      incidents: ids.length,
      steps: ids.length * 3,
      deliveredBeforeStop: before,
      deliveredAfterRestart: afterRestart,
      repeats,
      maxLatenessMs,
      workerRestarted,
    };
  } finally {
    await drill.close();
  }
});
