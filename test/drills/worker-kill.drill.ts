/**
 * Drill: the only worker (a child process) is SIGKILLed while the ladder is firing and restarted 3 s later.
 * Asserted: every step of every incident delivered, each under one webhook-id (repeats of the same id are
 * recognisable retries and are counted), each fired once in the workflow and never before its instant.
 */
import { assertLadderExactlyOnce, ladderDrill, runDrill, sleep, until } from './drill-kit';

runDrill('worker SIGKILL during a ladder step, restarted', async () => {
  const drill = await ladderDrill({ worker: 'child' });
  try {
    // Entered 12 s ago: warn due in 3 s, at-risk in 10.5 s, breach in 18 s.
    const ids = await drill.open(12, 12_000);
    await until(
      () => drill.receiver.deliveries().some((d) => ids.includes(d.body?.data?.incidentId)),
      30_000,
      'first step delivered',
    );
    const killedAt = Date.now();
    const [first] = drill.stack.workers;
    await first.kill('SIGKILL');
    await sleep(3_000);
    await drill.stack.startChildWorker('worker-restarted');
    await until(() => drill.allDelivered(ids), 180_000, 'every step delivered after the restart', 500);
    const { repeats, maxLatenessMs } = await assertLadderExactlyOnce(drill, ids);
    return {
      incidents: ids.length,
      steps: ids.length * 3,
      repeats,
      maxLatenessMs,
      downMs: Date.now() - killedAt > 0 ? 3_000 : 0,
    };
  } finally {
    await drill.close();
  }
});
