import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { workflowBundle } from '../support/temporal';
import { recordHealthCheckHistories } from './record-health-check-histories';
import { replayOutcomes, storedHistories } from './record-histories';

// Replays the stored contract-year histories of `healthCheckWorkflow` against the current bundle:
// a change that would break running years (nondeterminism) fails here. RECORD_HISTORIES=1 first
// records the scenarios of record-health-check-histories.ts that have no file yet.
beforeAll(async () => {
  if (process.env.RECORD_HISTORIES === '1') await recordHealthCheckHistories();
});

const histories = () => storedHistories('health-check-');

describe('health-check workflow replay', () => {
  it('has the representative years (reschedule + completion, overdue + plan change, closed/reopened, reviews)', () => {
    expect(histories().map((h) => h.file)).toEqual(
      expect.arrayContaining([
        'health-check-remote-completed.json',
        'health-check-overdue-plan-change.json',
        'health-check-closed-reopened-expired.json',
        'health-check-account-reviews.json',
      ]),
    );
  });

  it('replays every stored year deterministically', async () => {
    const stored = histories();
    expect(await replayOutcomes(stored, 'health-check-histories')).toEqual(stored.map(({ file }) => [file, undefined]));
  });

  it('detects nondeterminism (an activity the code does not schedule there)', async () => {
    const { history } = histories().find((h) => h.file === 'health-check-remote-completed.json')!;
    const scheduled = history.events.find(
      (e) => e.activityTaskScheduledEventAttributes,
    )!.activityTaskScheduledEventAttributes!;
    expect(scheduled.activityType?.name).toBe('notifyTask');
    scheduled.activityType = { name: 'notifyTaskRenamed' };
    await expect(
      Worker.runReplayHistory({ workflowBundle: workflowBundle(), replayName: 'altered-year' }, history),
    ).rejects.toThrow(DeterminismViolationError);
  });
});
