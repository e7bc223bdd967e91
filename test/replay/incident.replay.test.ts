import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';
import { recordHistories, replayOutcomes, storedHistories } from './record-histories';

// Replays every stored incident history against the current workflow bundle: a change that would
// break running incidents (nondeterminism) fails here. RECORD_HISTORIES=1 first records the scenarios
// of record-histories.ts that have no file yet (stored files are never overwritten).
beforeAll(async () => {
  if (process.env.RECORD_HISTORIES === '1') await recordHistories();
});

// Health-check histories replay in health-check.replay.test.ts.
const histories = () => storedHistories('incident-');

describe('incident workflow replay', () => {
  it('has the representative histories (met, breached + level 2, reclassify, resolve before IHR; local-first deliveries; status in the memo)', () => {
    expect(histories().map((h) => h.file)).toEqual(
      expect.arrayContaining([
        'incident-met.json',
        'incident-breached-level2.json',
        'incident-reclassify.json',
        'incident-resolve-before-ihr.json',
        'incident-intake-clock-met.json',
        'incident-intake-clock-breached-level2.json',
        // Since patch notify-local-first: a local first attempt per delivery, the regular activity as fallback.
        'incident-notify-local-met.json',
        'incident-notify-local-breached-level2.json',
        'incident-notify-fallback.json',
        // Started under the regular activity (warn), continued after the patch (at-risk on): see record-histories.ts.
        'incident-notify-local-mixed.json',
        // Since patch status-in-memo: the whole status upserted into the memo once a workflow task changed it.
        'incident-status-memo-met.json',
        'incident-status-memo-reclassify.json',
        // Since patch notify-channels: explanation and next step sent to people; steps no channel reaches
        // undeliverable.
        'incident-channels-breached-level2.json',
        'incident-channels-undeliverable.json',
        // Since patch request-instants: commands at the instant the API received them (a response received
        // before due applied after the breach: met; a response dated an hour back, recorded late).
        'incident-request-instants-late-met.json',
        'incident-request-instants-recorded-late.json',
        // Since patch bounded-history: the memo's status bounded (30 changes), and an incident continued as
        // new twice (run 1 ends at the limit, run 2 fires the ladder and ends, the last run resolves).
        'incident-bounded-met.json',
        'incident-continued-run1.json',
        'incident-continued-run2.json',
        'incident-continued.json',
      ]),
    );
  });

  it('replays every stored history deterministically', async () => {
    const stored = histories();
    expect(await replayOutcomes(stored, 'incident-histories')).toEqual(stored.map(({ file }) => [file, undefined]));
  });

  it('detects nondeterminism (a history whose recorded commands do not match the code)', async () => {
    const { history } = histories().find((h) => h.file === 'incident-met.json')!;
    // Rename the first scheduled activity: the code schedules `notify` where the history says otherwise.
    const scheduled = history.events.find(
      (e) => e.activityTaskScheduledEventAttributes,
    )!.activityTaskScheduledEventAttributes!;
    expect(scheduled.activityType?.name).toBe('notify');
    scheduled.activityType = { name: 'notifyRenamed' };
    await expect(
      Worker.runReplayHistory({ workflowBundle: workflowBundle(), replayName: 'altered' }, history),
    ).rejects.toThrow(DeterminismViolationError);
  });

  it('detects nondeterminism in local-first histories (patch marker, local activity marker)', async () => {
    const stored = () => storedHistory('incident-notify-local-met.json');
    // A patch the code does not know where the code asks for notify-local-first.
    const unpatched = stored();
    renamePatch(unpatched, 'notify-local-first');
    await expect(replay(unpatched, 'unpatched')).rejects.toThrow(DeterminismViolationError);

    // A delivery recorded as another local activity than `notify`.
    const renamed = stored();
    const delivery = markers(renamed, 'core_local_activity')
      .map((m) => m.details!.data.payloads![0])
      .find((p) => json(p.data).activity_type === 'notify')!;
    delivery.data = Buffer.from(JSON.stringify({ ...json(delivery.data), activity_type: 'notifyRenamed' }));
    await expect(replay(renamed, 'renamed-local')).rejects.toThrow(DeterminismViolationError);
  });

  it('detects nondeterminism in status-in-memo histories (another patch where the code asks for it)', async () => {
    const history = storedHistory('incident-status-memo-met.json');
    renamePatch(history, 'status-in-memo');
    await expect(replay(history, 'status-memo-unpatched')).rejects.toThrow(DeterminismViolationError);
  });

  it('detects nondeterminism in request-instants histories (the marker where the first API command applies)', async () => {
    const history = storedHistory('incident-request-instants-late-met.json');
    renamePatch(history, 'request-instants');
    await expect(replay(history, 'request-instants-unpatched')).rejects.toThrow(DeterminismViolationError);
  });

  it('detects nondeterminism in bounded-history histories (another patch where the code asks for it)', async () => {
    for (const file of ['incident-bounded-met.json', 'incident-continued-run2.json']) {
      const history = storedHistory(file);
      renamePatch(history, 'bounded-history');
      await expect(replay(history, `${file}-unpatched`)).rejects.toThrow(DeterminismViolationError);
    }
  });
});

type StoredHistory = ReturnType<typeof histories>[number]['history'];
const storedHistory = (file: string): StoredHistory => histories().find((h) => h.file === file)!.history;
const replay = (history: StoredHistory, replayName: string) =>
  Worker.runReplayHistory({ workflowBundle: workflowBundle(), replayName }, history);
const markers = (history: StoredHistory, name: string) =>
  history.events
    .filter((e) => e.markerRecordedEventAttributes?.markerName === name)
    .map((e) => e.markerRecordedEventAttributes!);
const json = (data: Uint8Array | null | undefined) => JSON.parse(Buffer.from(data!).toString('utf8'));

/** Makes the history's marker of patch `id` name a patch the code does not know. */
function renamePatch(history: StoredHistory, id: string): void {
  const patch = markers(history, 'core_patch')
    .map((m) => m.details!['patch-data'].payloads![0])
    .find((p) => json(p.data).id === id);
  expect(patch && json(patch.data)).toEqual({ id, deprecated: false });
  patch!.data = Buffer.from(JSON.stringify({ id: 'some-other-patch', deprecated: false }));
}
