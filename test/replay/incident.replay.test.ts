import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';
import { HISTORIES_DIR, historyFromFile, recordHistories } from './record-histories';

// Replays every stored incident history against the current workflow bundle: a change that would
// break running incidents (nondeterminism) fails here. RECORD_HISTORIES=1 re-records them first.
beforeAll(async () => {
  if (process.env.RECORD_HISTORIES === '1') await recordHistories();
});

const histories = () =>
  readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, history: historyFromFile(readFileSync(join(HISTORIES_DIR, file), 'utf8')) }));

describe('incident workflow replay', () => {
  it('has the representative histories (met, breached + level 2, reclassify, resolve before IHR)', () => {
    expect(histories().map((h) => h.file)).toEqual(
      expect.arrayContaining(['incident-met.json', 'incident-breached-level2.json', 'incident-reclassify.json', 'incident-resolve-before-ihr.json']),
    );
  });

  it('replays every stored history deterministically', async () => {
    const stored = histories();
    const results = Worker.runReplayHistories(
      { workflowBundle: workflowBundle(), replayName: 'incident-histories' },
      stored.map(({ file, history }) => ({ workflowId: file, history })),
    );
    const outcomes: Array<[string, string | undefined]> = [];
    for await (const result of results) outcomes.push([result.workflowId, result.error?.message]);
    expect(outcomes).toEqual(stored.map(({ file }) => [file, undefined]));
  });

  it('detects nondeterminism (a history whose recorded commands do not match the code)', async () => {
    const { history } = histories().find((h) => h.file === 'incident-met.json')!;
    // Rename the first scheduled activity: the code schedules `notify` where the history says otherwise.
    const scheduled = history.events.find((e) => e.activityTaskScheduledEventAttributes)!.activityTaskScheduledEventAttributes!;
    expect(scheduled.activityType?.name).toBe('notify');
    scheduled.activityType = { name: 'notifyRenamed' };
    await expect(Worker.runReplayHistory({ workflowBundle: workflowBundle(), replayName: 'altered' }, history)).rejects.toThrow(
      DeterminismViolationError,
    );
  });
});
