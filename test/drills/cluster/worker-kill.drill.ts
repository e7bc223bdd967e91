/**
 * Cluster drill: two workers (child processes) share the task queue; one is SIGKILLed while the ladder is
 * firing. Asserted: the survivor delivers every step of every incident, each under its own webhook-id
 * (repeats only with the same id, counted), fired once, never early.
 */
import { assertLadderExactlyOnce, runDrill, until } from '../drill-kit';
import { assertNoStepLostOrDuplicated, clusterLadderDrill } from './cluster-kit';

runDrill('cluster: two workers, one SIGKILLed mid-ladder', async () => {
  const drill = await clusterLadderDrill();
  try {
    await drill.stack.startChildWorker('worker-2');
    const ids = await drill.open(12, 12_000);
    await until(
      () => drill.receiver.deliveries().filter((d) => ids.includes(d.body?.data?.incidentId)).length >= 4,
      60_000,
      'first steps delivered',
    );
    await drill.stack.workers[0].kill('SIGKILL');
    await until(() => drill.allDelivered(ids), 180_000, 'every step delivered by the surviving worker', 500).catch(
      (error) => {
        assertNoStepLostOrDuplicated(drill, ids);
        throw error;
      },
    );
    assertNoStepLostOrDuplicated(drill, ids);
    const { repeats, maxLatenessMs } = await assertLadderExactlyOnce(drill, ids);
    return { incidents: ids.length, steps: ids.length * 3, repeats, maxLatenessMs };
  } finally {
    await drill.close();
  }
});
