/**
 * Cluster drill: the history service is SIGKILLed while incidents are open and their ladder timers pending,
 * stays down past a step instant, and is started again on the same ports and config. Asserted: every step of
 * every incident delivered under its own webhook-id, fired once, never early; every incident still listed.
 */
import { assert, assertLadderExactlyOnce, runDrill, sleep, until } from '../drill-kit';
import { assertNoStepLostOrDuplicated, clusterLadderDrill } from './cluster-kit';

runDrill('cluster: history service SIGKILLed and restarted', async () => {
  const drill = await clusterLadderDrill();
  try {
    // Entered 8 s ago: warn due in 7 s, at-risk in 14.5 s, breach in 22 s; history is down from +2 s to ~+10 s.
    const ids = await drill.open(10, 8_000);
    await sleep(2_000);
    await drill.cluster.killService('history', 'SIGKILL');
    const killedAt = Date.now();
    await sleep(8_000);
    await drill.cluster.startService('history');
    const downMs = Date.now() - killedAt;
    await until(() => drill.allDelivered(ids), 180_000, 'every step delivered after the history restart', 500).catch(
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
    return { incidents: ids.length, steps: ids.length * 3, downMs, repeats, maxLatenessMs };
  } finally {
    await drill.close();
  }
});
