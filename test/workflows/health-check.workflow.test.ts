import { DateTime } from 'luxon';
import { isOpen } from '../../libs/business-time/src';
import {
  HealthCheckInput,
  HealthCheckStatus,
  healthCheckStatusQuery,
  requestHealthCheckUpdate,
  scheduleHealthCheckUpdate,
  TASK_QUEUE,
} from '../../libs/contracts/src';
import { eventually } from '../support/eventually';
import { speYearInput } from './helpers';
import { taskWorkflowHarness } from './task-harness';

// The year timeline of `health-check/<accountId>/<contractYear>` on the time-skipping server:
// reminder 2 business days before the scheduled date, overdue escalation after 10 business days,
// expiry of unrequested offers at the contract year's end. The server starts at the real current
// time and only skips forward, so instants are chosen relative to it and checked against the
// EMEA calendar (Helsinki, FI holidays).
jest.setTimeout(180_000);

const HEL = 'Europe/Helsinki';
const MIN = 60_000;
const DAY = 86_400_000;
const harness = taskWorkflowHarness('health-check');
const { skipTo } = harness;
let counter = 0;

/** A year's input around the test server's current time (the workflow takes the bounds as given). */
async function start(
  days: { startedDaysAgo: number; endsInDays: number },
  kinds: HealthCheckInput['kinds'] = ['remote', 'onsite'],
) {
  const now = await harness.env.currentTimeMs();
  counter += 1;
  const accountId = `acct${counter}`;
  const input = speYearInput({
    accountId,
    accountName: `Account ${counter}`,
    contractYear: 2000 + counter,
    start: new Date(now - days.startedDaysAgo * DAY).toISOString(),
    end: new Date(now + days.endsInDays * DAY).toISOString(),
    kinds,
  });
  const handle = await harness.env.client.workflow.start('healthCheckWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `health-check/${accountId}/${input.contractYear}`,
    args: [input],
  });
  return { handle, input };
}

/** Timers fire at their instant; workflow time when the task runs is a few ms later. */
function expectAround(iso: string, expectedMs: number): void {
  expect(Date.parse(iso)).toBeGreaterThanOrEqual(expectedMs);
  expect(Date.parse(iso) - expectedMs).toBeLessThan(2_000);
}

const status = (handle: { query: (q: typeof healthCheckStatusQuery) => Promise<HealthCheckStatus> }) =>
  handle.query(healthCheckStatusQuery);
const businessDay = (t: DateTime) => isOpen(harness.policy.calendar('emea'), t.set({ hour: 12, minute: 0 }).toMillis());

describe('health-check year timeline (time-skipping server)', () => {
  it('reminds 2 business days before the scheduled date, at the opening', async () => {
    const { handle } = await start({ startedDaysAgo: 10, endsInDays: 300 });
    await handle.executeUpdate(requestHealthCheckUpdate, { args: [{ kind: 'remote', actor: 'customer:acct' }] });
    // A Thursday at least 3 weeks ahead whose Tuesday and Wednesday are business days: reminder Tuesday 08:00.
    let day = DateTime.fromMillis((await harness.env.currentTimeMs()) + 21 * DAY, { zone: HEL }).startOf('day');
    while (!(
      day.weekday === 4 &&
      businessDay(day) &&
      businessDay(day.minus({ days: 1 })) &&
      businessDay(day.minus({ days: 2 }))
    ))
      day = day.plus({ days: 1 });
    const scheduledFor = day.set({ hour: 10 });
    const expected = day.minus({ days: 2 }).set({ hour: 8 }).toMillis();
    const task = await handle.executeUpdate(scheduleHealthCheckUpdate, {
      args: [{ kind: 'remote', date: scheduledFor.toUTC().toISO()!, actor: 'tam:jane' }],
    });
    expect(Date.parse(task.remindAt!)).toBe(expected);

    await skipTo(expected - 5 * MIN);
    expect((await status(handle)).requests.remote?.remindedAt).toBeNull();
    await skipTo(expected + MIN);
    const reminded = await eventually(async () => {
      const s = await status(handle);
      return s.requests.remote?.remindedAt ? s : undefined;
    }, 'reminder');
    expectAround(reminded.requests.remote!.remindedAt!, expected);
    const hook = await eventually(
      async () =>
        harness.receiver
          .deliveries()
          .find((d) => d.body?.type === 'task.reminder' && d.body.data.accountId === reminded.accountId),
      'reminder webhook',
    );
    expect(hook.body.data.task).toMatchObject({
      taskId: `${reminded.accountId}:${reminded.contractYear}:remote`,
      state: 'scheduled',
    });
    expect(hook.body.data.recipients).toEqual([{ role: 'owner', address: 'jane.doe@vendor.example' }]);
  });

  it('escalates to the support manager when a request is not scheduled within 10 business days', async () => {
    const { handle } = await start({ startedDaysAgo: 10, endsInDays: 300 });
    const requestedAt = await harness.env.currentTimeMs();
    const task = await handle.executeUpdate(requestHealthCheckUpdate, {
      args: [{ kind: 'onsite', actor: 'customer:acct' }],
    });
    // Oracle: the 10th business day after the request day (days open at noon), closing 17:00 Helsinki.
    let day = DateTime.fromMillis(requestedAt, { zone: HEL }).startOf('day');
    for (let counted = 0; counted < 10;) {
      day = day.plus({ days: 1 });
      if (businessDay(day)) counted += 1;
    }
    const due = day.set({ hour: 17 }).toMillis();
    expect(Date.parse(task.dueAt)).toBe(due);

    await skipTo(due - 5 * MIN);
    expect((await status(handle)).requests.onsite?.escalatedAt).toBeNull();
    await skipTo(due + MIN);
    const escalated = await eventually(async () => {
      const s = await status(handle);
      return s.requests.onsite?.escalatedAt ? s : undefined;
    }, 'escalation');
    expectAround(escalated.requests.onsite!.escalatedAt!, due);
    expect(escalated.timeline.map((e) => e.type)).toContain('task.overdue');
    const hook = await eventually(
      async () =>
        harness.receiver
          .deliveries()
          .find((d) => d.body?.type === 'task.overdue' && d.body.data.accountId === escalated.accountId),
      'overdue webhook',
    );
    expect(hook.body.data.recipients).toEqual([
      { role: 'owner', address: 'jane.doe@vendor.example' },
      { role: 'supportManager', address: 'emea-manager@vendor.example' },
    ]);
  });

  it("expires unrequested offers at the contract year's end with a recorded outcome", async () => {
    const { handle, input } = await start({ startedDaysAgo: 360, endsInDays: 5 }, ['remote']);
    await skipTo(Date.parse(input.end) - MIN);
    expect((await status(handle)).offer.state).toBe('open');
    const result = await handle.result();
    expect(result.offer.state).toBe('expired');
    expect(result.offer.offers.remote).toMatchObject({ status: 'expired' });
    expectAround(result.offer.offers.remote!.at!, Date.parse(input.end));
    expect(result.offer.outcome).toContain(`contract year ${input.contractYear} ended`);
    const hook = await eventually(
      async () =>
        harness.receiver
          .deliveries()
          .find((d) => d.body?.type === 'task.expired' && d.body.data.accountId === input.accountId),
      'expiry webhook',
    );
    expect(hook.body.data.task).toMatchObject({ kind: 'offer', state: 'expired' });
  });
});
