import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { accountReviewPeriods, accountReviewTitle } from '../../libs/health-checks/src';
import { isOpen } from '../../libs/business-time/src';
import {
  completeAccountReviewUpdate,
  healthCheckPlanChangedSignal,
  HealthCheckStatus,
  healthCheckStatusQuery,
  TASK_QUEUE,
} from '../../libs/contracts/src';
import { workflowBundle } from '../support/temporal';
import { eventually } from '../support/eventually';
import { speYearInput } from './helpers';
import { taskWorkflowHarness } from './task-harness';

// Recurring TAM account reviews in `health-check/<accountId>/<contractYear>` on the time-skipping
// server: one review per period of the contract year (quarterly by default: 4 a year) created at the
// period's start, overdue escalation after 10 business days, completion with a summary, and a plan
// change out of the review plans closing the open review (back in: from the next period).
jest.setTimeout(240_000);

const HEL = 'Europe/Helsinki';
const MIN = 60_000;
const harness = taskWorkflowHarness('account-review');
const { skipTo } = harness;
let counter = 0;

/** An SPE year that began an hour ago (server time), with the quarterly review plan an activity would compute. */
async function start() {
  const now = await harness.env.currentTimeMs();
  counter += 1;
  const accountId = `rev${counter}`;
  const begin = DateTime.fromMillis(now - 60 * MIN, { zone: HEL });
  const year = { start: begin.toUTC().toISO()!, end: begin.plus({ years: 1 }).toUTC().toISO()! };
  const input = speYearInput({
    accountId,
    accountName: `Review ${counter}`,
    contractYear: 2100 + counter,
    ...year,
    reviews: {
      enabled: true,
      everyMonths: 3,
      dueBusinessDays: 10,
      title: accountReviewTitle(3),
      periods: accountReviewPeriods(year, HEL, 3),
    },
  });
  const handle = await harness.env.client.workflow.start('healthCheckWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `health-check/${accountId}/${input.contractYear}`,
    args: [input],
  });
  return { handle, input, begin };
}

function expectAround(iso: string, expectedMs: number): void {
  expect(Date.parse(iso)).toBeGreaterThanOrEqual(expectedMs);
  expect(Date.parse(iso) - expectedMs).toBeLessThan(2_000);
}

const status = (handle: { query: (q: typeof healthCheckStatusQuery) => Promise<HealthCheckStatus> }) =>
  handle.query(healthCheckStatusQuery);
const businessDay = (t: DateTime) => isOpen(harness.policy.calendar('emea'), t.set({ hour: 12, minute: 0 }).toMillis());
/** Oracle: end (17:00 Helsinki) of the 10th business day after the day of `ms`. */
function tenBusinessDaysAfter(ms: number): number {
  let day = DateTime.fromMillis(ms, { zone: HEL }).startOf('day');
  for (let counted = 0; counted < 10;) {
    day = day.plus({ days: 1 });
    if (businessDay(day)) counted += 1;
  }
  return day.set({ hour: 17 }).toMillis();
}
/** An Update rejected by its validator: the cause carries the message. */
async function rejected(update: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await update.then(
    () => undefined,
    (e: any) => e,
  );
  expect(error).toBeDefined();
  expect(`${error?.message} ${error?.cause?.message}`).toMatch(pattern);
}
const hook = (type: string, taskId: string) =>
  eventually(
    async () =>
      harness.receiver.deliveries().find((d) => d.body?.type === type && d.body?.data?.task?.taskId === taskId),
    `${type} of ${taskId}`,
  );

describe('account reviews in the year workflow (time-skipping server)', () => {
  let history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>> | undefined;

  it('creates 4 quarterly reviews at the period starts; completion; overdue escalation; expiry at the year end', async () => {
    const { handle, input, begin } = await start();
    const id = (n: number) => `${input.accountId}:${input.contractYear}:review-${n}`;
    // Oracle for the period starts: the year's start + 0/3/6/9 months at Helsinki wall time.
    const periodStarts = [0, 3, 6, 9].map((m) => begin.plus({ months: m }).toMillis());
    expect(input.reviews!.periods.map((p) => Date.parse(p.start))).toEqual(periodStarts);

    // Period 1 is running at the workflow's start: its review is created at once.
    const first = await eventually(async () => {
      const s = await status(handle);
      return s.reviews?.[0]?.dueLabel ? s.reviews[0] : undefined;
    }, 'review 1');
    expect(first).toMatchObject({
      taskId: id(1),
      kind: 'review',
      review: 1,
      title: 'host the quarterly account review',
      state: 'open',
      owner: 'jane.doe',
    });
    expect(Date.parse(first.dueAt)).toBe(tenBusinessDaysAfter(Date.parse(first.createdAt)));
    const created = await hook('task.created', id(1));
    expect(created.verified).toBe(true);
    expect(created.body.data.recipients).toEqual([{ role: 'owner', address: 'jane.doe@vendor.example' }]);

    const done = await handle.executeUpdate(completeAccountReviewUpdate, {
      args: [{ review: 1, summary: 'Roadmap and open incidents reviewed.', actor: 'tam:jane' }],
    });
    expect(done).toMatchObject({
      state: 'done',
      summary: 'Roadmap and open incidents reviewed.',
      completedBy: 'tam:jane',
    });
    await rejected(
      handle.executeUpdate(completeAccountReviewUpdate, { args: [{ review: 1, summary: 'again', actor: 'tam:jane' }] }),
      /completed/,
    );
    await rejected(
      handle.executeUpdate(completeAccountReviewUpdate, { args: [{ review: 2, summary: 'early', actor: 'tam:jane' }] }),
      /not been created/,
    );
    await hook('task.completed', id(1));

    // Period 2: nothing before its start, the review at its start.
    await skipTo(periodStarts[1] - 5 * MIN);
    expect((await status(handle)).reviews).toHaveLength(1);
    await skipTo(periodStarts[1] + MIN);
    const second = await eventually(async () => {
      const s = await status(handle);
      return s.reviews?.[1]?.dueLabel ? s.reviews[1] : undefined;
    }, 'review 2');
    expectAround(second.createdAt, periodStarts[1]);
    expect(second.periodStart).toBe(new Date(periodStarts[1]).toISOString());
    const due = tenBusinessDaysAfter(periodStarts[1]);
    expect(Date.parse(second.dueAt)).toBe(due);

    // Not completed by its due instant: escalated to the support manager.
    await skipTo(due - 5 * MIN);
    expect((await status(handle)).reviews![1].escalatedAt).toBeNull();
    await skipTo(due + MIN);
    const escalated = await eventually(async () => {
      const s = await status(handle);
      return s.reviews![1].escalatedAt ? s.reviews![1] : undefined;
    }, 'review 2 escalation');
    expectAround(escalated.escalatedAt!, due);
    const overdue = await hook('task.overdue', id(2));
    expect(overdue.body.data.recipients).toEqual([
      { role: 'owner', address: 'jane.doe@vendor.example' },
      { role: 'supportManager', address: 'emea-manager@vendor.example' },
    ]);

    // The rest of the year: reviews 3 and 4 at their period starts; open ones expire at the end.
    const result: HealthCheckStatus = await handle.result();
    expect(result.reviews!.map((t) => [t.taskId, t.state])).toEqual([
      [id(1), 'done'],
      [id(2), 'expired'],
      [id(3), 'expired'],
      [id(4), 'expired'],
    ]);
    expectAround(result.reviews![2].createdAt, periodStarts[2]);
    expectAround(result.reviews![3].createdAt, periodStarts[3]);
    expect(result.reviews![3].outcome).toContain(`end of contract year ${input.contractYear}`);
    await hook('task.expired', id(4));
    history = await handle.fetchHistory();
  });

  it('replays the recorded year deterministically', async () => {
    expect(history).toBeDefined();
    await Worker.runReplayHistory({ workflowBundle: workflowBundle(), replayName: 'account-review-year' }, history!);
  });

  it('a downgrade closes the open review with a reason; an upgrade resumes from the next period', async () => {
    const { handle, input, begin } = await start();
    const id = (n: number) => `${input.accountId}:${input.contractYear}:review-${n}`;
    await eventually(async () => ((await status(handle)).reviews?.[0]?.dueLabel ? true : undefined), 'review 1');

    await handle.signal(healthCheckPlanChangedSignal, {
      planId: 'SP1',
      planName: 'Premium',
      kinds: ['remote'],
      owner: 'jane.doe',
      ownerKind: 'tam',
      reviews: false,
      reason: 'account changed (plan SP1, owner jane.doe)',
    });
    const closed = await eventually(async () => {
      const s = await status(handle);
      return s.reviews![0].state === 'closed' ? s.reviews![0] : undefined;
    }, 'review 1 closed');
    expect(closed.outcome).toBe('plan changed to SP1 (Premium), which includes no account reviews');
    const closedHook = await hook('task.closed', id(1));
    expect(closedHook.body.data.task).toMatchObject({ state: 'closed' });
    await rejected(
      handle.executeUpdate(completeAccountReviewUpdate, { args: [{ review: 1, summary: 'late', actor: 'tam:jane' }] }),
      /closed/,
    );

    // No review in period 2 on SP1.
    const period = (months: number) => begin.plus({ months }).toMillis();
    await skipTo(period(3) + 10 * MIN);
    expect((await status(handle)).reviews).toHaveLength(1);

    // Back to SPE inside period 2: the next review is period 3's.
    await handle.signal(healthCheckPlanChangedSignal, {
      planId: 'SPE',
      planName: 'Enterprise',
      kinds: ['remote', 'onsite'],
      owner: 'jane.doe',
      ownerKind: 'tam',
      reviews: true,
      reason: 'account changed (plan SPE, owner jane.doe)',
    });
    await skipTo(period(6) - 5 * MIN);
    expect((await status(handle)).reviews).toHaveLength(1);
    await skipTo(period(6) + MIN);
    const third = await eventually(async () => {
      const s = await status(handle);
      return s.reviews?.[1]?.dueLabel ? s.reviews[1] : undefined;
    }, 'review 3');
    expect(third).toMatchObject({ taskId: id(3), review: 3, state: 'open' });
    expectAround(third.createdAt, period(6));
    await handle.terminate('test done');
  });

  it('a year input without a review plan (from before reviews) creates none', async () => {
    const { input } = await start();
    const plain = { ...input, accountId: 'plain1', reviews: undefined };
    const handle = await harness.env.client.workflow.start('healthCheckWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: `health-check/plain1/${input.contractYear}`,
      args: [plain],
    });
    const s = await eventually(() => status(handle), 'status');
    expect(s.reviews).toEqual([]);
    await harness.env.client.workflow
      .getHandle(`health-check/${input.accountId}/${input.contractYear}`)
      .terminate('not needed');
    await handle.terminate('test done');
  });
});
