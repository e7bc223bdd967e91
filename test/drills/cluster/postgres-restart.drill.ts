/**
 * Cluster drill: PostgreSQL is stopped (fast shutdown: every connection cut) while incidents are open and
 * their ladder timers pending, stays down past a step instant, and is started again on the same data.
 * The Temporal services and the workers keep running and reconnect. Asserted: every step of every incident
 * delivered under its own webhook-id, fired once, never early; every incident still listed.
 */
import { assert, assertLadderExactlyOnce, runDrill, sleep, until } from '../drill-kit';
import { assertNoStepLostOrDuplicated, clusterLadderDrill } from './cluster-kit';

runDrill('cluster: PostgreSQL restarted', async () => {
  const drill = await clusterLadderDrill();
  try {
    const ids = await drill.open(10, 8_000);
    await sleep(2_000);
    const stoppedAt = Date.now();
    await drill.cluster.stopPostgres();
    await sleep(8_000);
    await drill.cluster.startPostgres();
    const downMs = Date.now() - stoppedAt;
    await until(() => drill.allDelivered(ids), 180_000, 'every step delivered after the PostgreSQL restart', 500).catch(
      (error) => {
        assertNoStepLostOrDuplicated(drill, ids);
        throw error;
      },
    );
    assertNoStepLostOrDuplicated(drill, ids);
    const { count } = await drill.stack.client.workflow.count(
      `WorkflowType = "incidentWorkflow" AND SlaAccountId = "${drill.accountId}"`,
    );
    assert.equal(count, ids.length, 'incidents still listed after the restart');
    const { repeats, maxLatenessMs } = await assertLadderExactlyOnce(drill, ids);
    const dead = Object.entries(drill.cluster.processes())
      .filter(([, p]) => p && !p.running())
      .map(([name]) => name);
    assert.deepEqual(dead, [], 'every Temporal service survived the database restart');
    return { incidents: ids.length, steps: ids.length * 3, downMs, repeats, maxLatenessMs };
  } finally {
    await drill.close();
  }
});
