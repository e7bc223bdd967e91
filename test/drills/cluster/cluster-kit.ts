/**
 * The cluster drills (`npm run drill -- --cluster`): each starts its own Temporal cluster on PostgreSQL
 * (libs/devstack/src/cluster.ts: four Temporal service processes, a private PostgreSQL data directory,
 * free loopback ports), points the drill stack at it through TEMPORAL_ADDRESS, and stops all of it at the end.
 */
import { Cluster, startTemporaryCluster } from '../../../libs/devstack/src/cluster';
import { StackOptions } from '../../../bench/load-stack';
import { assert, LADDER, LadderDrill, ladderDrill } from '../drill-kit';

/** A throwaway cluster for one drill (see startTemporaryCluster). */
export const startDrillCluster = () => startTemporaryCluster();

export async function clusterLadderDrill(options: StackOptions = {}): Promise<LadderDrill & { cluster: Cluster }> {
  const dc = await startDrillCluster();
  let drill: LadderDrill;
  try {
    drill = await ladderDrill({ worker: 'child', ...options });
  } catch (error) {
    await dc.close();
    throw error;
  }
  const close = drill.close;
  return Object.assign(drill, {
    cluster: dc.cluster,
    async close() {
      await close();
      await dc.close();
    },
  });
}

/**
 * Names the incident and the step of the first lost or duplicated step (a step delivered under another
 * webhook-id than its own, or not at all), before the full exactly-once check of drill-kit.
 */
export function assertNoStepLostOrDuplicated(drill: LadderDrill, ids: string[]): void {
  for (const id of ids) {
    const delivered = drill.deliveredIds(id);
    for (const step of LADDER) {
      const own = `${id}.0.${step}`;
      assert.ok(
        delivered.includes(own),
        `incident ${id}: step ${step} lost (delivered ids: ${delivered.join(', ') || 'none'})`,
      );
    }
    const foreign = delivered.filter((d) => !LADDER.some((step) => d === `${id}.0.${step}`));
    assert.deepEqual(
      foreign,
      [],
      `incident ${id}: step delivered twice under a new webhook-id (${foreign.join(', ')})`,
    );
  }
}
