/**
 * Drill: two workers (child processes) share the task queue; one is SIGKILLed while the ladder is firing and
 * not restarted. Asserted: the survivor delivers every step of every incident, each under one webhook-id
 * (repeats of the same id are recognisable retries), each fired once, never before its instant.
 */
import { assertLadderExactlyOnce, ladderDrill, runDrill, until } from './drill-kit';

runDrill('two workers, one SIGKILLed', async () => {
  const drill = await ladderDrill({ worker: 'child' });
  try {
    await drill.stack.startChildWorker('worker-2');
    const ids = await drill.open(12, 12_000);
    await until(
      () => drill.receiver.deliveries().filter((d) => ids.includes(d.body?.data?.incidentId)).length >= 4,
      30_000,
      'first steps delivered',
    );
    await drill.stack.workers[0].kill('SIGKILL');
    await until(() => drill.allDelivered(ids), 180_000, 'every step delivered by the surviving worker', 500);
    const { repeats, maxLatenessMs } = await assertLadderExactlyOnce(drill, ids);
    return { incidents: ids.length, steps: ids.length * 3, repeats, maxLatenessMs };
  } finally {
    await drill.close();
  }
});
