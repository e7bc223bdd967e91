import { join } from 'node:path';
import { WorkflowHandle } from '@temporalio/client';
import { DateTime } from 'luxon';
import { accountReviewPeriods, accountReviewTitle } from '../../libs/health-checks/src';
import {
  completeAccountReviewUpdate,
  completeHealthCheckUpdate,
  HealthCheckInput,
  HealthCheckPlanChange,
  healthCheckPlanChangedSignal,
  HealthCheckStatus,
  healthCheckStatusQuery,
  requestHealthCheckUpdate,
  scheduleHealthCheckUpdate,
  TASK_QUEUE,
} from '../../libs/contracts/src';
import { skipTo, speYearInput } from '../workflows/helpers';
import { HISTORIES_DIR, recordRun, startRecordingEnv } from './record-histories';

const HEL = 'Europe/Helsinki';
const MIN = 60_000;
const DAY = 86_400_000;

/**
 * Records representative runs of `healthCheckWorkflow` (one contract year) into `dir` as
 * health-check-<scenario>.json, like recordHistories for incidents (existing files are kept):
 *   RECORD_HISTORIES=1 npx jest --selectProjects integration --runInBand --testPathPatterns test/replay/health-check
 * Every instant is relative to the test server's clock and every wait follows the workflow's own
 * due/remind instants, so the scenarios hold whatever day they are recorded.
 */
export async function recordHealthCheckHistories(dir = HISTORIES_DIR): Promise<string[]> {
  const { receiver, env, worker } = await startRecordingEnv();
  const written: string[] = [];
  const now = () => env.currentTimeMs();
  const status = (h: WorkflowHandle) => h.query(healthCheckStatusQuery);
  /** Until `accept` holds for the status (queries do not skip time; real time moves the test server's clock). */
  const until = async (h: WorkflowHandle, what: string, accept: (s: HealthCheckStatus) => boolean) => {
    for (let i = 0; i < 200; i++) {
      if (accept(await status(h))) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`health-check recording: no ${what}`);
  };
  const change = (kinds: HealthCheckPlanChange['kinds'], reason: string, reviews?: boolean): HealthCheckPlanChange => ({
    planId: kinds.length ? 'SPE' : 'SP2',
    planName: kinds.length ? 'Enterprise' : 'Standard',
    kinds,
    owner: 'jane.doe',
    ownerKind: 'tam',
    ...(reviews === undefined ? {} : { reviews }),
    reason,
  });
  const actor = { actor: 'tam:jane' };
  try {
    const run = async (
      name: string,
      input: HealthCheckInput,
      script: (h: WorkflowHandle, input: HealthCheckInput) => Promise<void>,
    ) => {
      const start = () =>
        env.client.workflow.start('healthCheckWorkflow', {
          taskQueue: TASK_QUEUE,
          workflowId: `health-check/${input.accountId}/${input.contractYear}`,
          args: [input],
        });
      await recordRun(join(dir, `health-check-${name}.json`), written, start, async (h) => {
        await until(h, 'offer', (s) => s.offer.state === 'open');
        await script(h, input);
        // The year's end: open offers expire, open reviews too; the workflow closes once requests are done.
        await skipTo(env, Date.parse(input.end) + MIN);
      });
    };
    const yearInput = async (
      name: string,
      endsInDays: number,
      kinds: HealthCheckInput['kinds'] = ['remote', 'onsite'],
    ): Promise<HealthCheckInput> => {
      const at = await now();
      return speYearInput({
        accountId: `replay-${name}`,
        accountName: `Replay ${name}`,
        contractYear: 2030,
        start: new Date(at - 10 * DAY).toISOString(),
        end: new Date(at + endsInDays * DAY).toISOString(),
        kinds,
      });
    };

    // Remote requested, scheduled, rescheduled (reminder generation 2), reminded, completed; the
    // unrequested onsite offer expires at the year's end.
    await run('remote-completed', await yearInput('remote-completed', 90), async (h) => {
      await h.executeUpdate(requestHealthCheckUpdate, { args: [{ kind: 'remote', ...actor, preferredDates: [] }] });
      const at = await now();
      await h.executeUpdate(scheduleHealthCheckUpdate, {
        args: [{ kind: 'remote', date: new Date(at + 30 * DAY).toISOString(), ...actor }],
      });
      const moved = await h.executeUpdate(scheduleHealthCheckUpdate, {
        args: [{ kind: 'remote', date: new Date(at + 40 * DAY).toISOString(), ...actor }],
      });
      await skipTo(env, Date.parse(moved.remindAt!) + MIN);
      await until(h, 'reminder', (s) => Boolean(s.requests.remote?.remindedAt));
      await h.executeUpdate(completeHealthCheckUpdate, {
        args: [{ kind: 'remote', summary: 'Configuration reviewed.', ...actor }],
      });
    });

    // Onsite requested and left unscheduled past its due (overdue to the support manager); a plan
    // change drops remote (its offer closed); onsite then scheduled and completed after the escalation.
    await run('overdue-plan-change', await yearInput('overdue-plan-change', 90), async (h) => {
      const task = await h.executeUpdate(requestHealthCheckUpdate, { args: [{ kind: 'onsite', ...actor }] });
      await skipTo(env, Date.parse(task.dueAt) + MIN);
      await until(h, 'escalation', (s) => Boolean(s.requests.onsite?.escalatedAt));
      await h.signal(healthCheckPlanChangedSignal, change(['onsite'], 'account changed (plan SPE, onsite only)'));
      await until(h, 'closed remote offer', (s) => s.offer.offers.remote?.status === 'closed');
      const scheduled = await h.executeUpdate(scheduleHealthCheckUpdate, {
        args: [{ kind: 'onsite', date: new Date((await now()) + 20 * DAY).toISOString(), ...actor }],
      });
      await skipTo(env, Date.parse(scheduled.scheduledFor!) + MIN);
      await until(h, 'reminder', (s) => Boolean(s.requests.onsite?.remindedAt));
      await h.executeUpdate(completeHealthCheckUpdate, {
        args: [{ kind: 'onsite', summary: 'Site visit held.', ...actor }],
      });
    });

    // A downgrade to a plan without health checks closes the whole offer; the upgrade back reopens
    // remote, which then expires unrequested at the year's end.
    await run('closed-reopened-expired', await yearInput('closed-reopened-expired', 20, ['remote']), async (h) => {
      await h.signal(
        healthCheckPlanChangedSignal,
        change([], 'plan changed to SP2 (Standard), which includes no health checks'),
      );
      await until(h, 'closed offer', (s) => s.offer.state === 'closed');
      await h.signal(healthCheckPlanChangedSignal, change(['remote'], 'account changed (plan SPE, owner jane.doe)'));
      await until(h, 'reopened offer', (s) => s.offer.state === 'open');
    });

    // Account reviews (patch account-reviews), monthly over a two-month year: review 1 created at the
    // start and completed, review 2 at its period's start, overdue, closed by a plan change out of reviews.
    const begin = DateTime.fromMillis((await now()) - 60 * MIN, { zone: HEL });
    const year = { start: begin.toUTC().toISO()!, end: begin.plus({ months: 2 }).toUTC().toISO()! };
    const reviewInput: HealthCheckInput = {
      ...(await yearInput('account-reviews', 0)),
      ...year,
      reviews: {
        enabled: true,
        everyMonths: 1,
        dueBusinessDays: 10,
        title: accountReviewTitle(1),
        periods: accountReviewPeriods(year, HEL, 1),
      },
    };
    await run('account-reviews', reviewInput, async (h, input) => {
      await until(h, 'review 1', (s) => Boolean(s.reviews?.[0]?.dueLabel));
      await h.executeUpdate(completeAccountReviewUpdate, {
        args: [{ review: 1, summary: 'Roadmap reviewed.', ...actor }],
      });
      await skipTo(env, Date.parse(input.reviews!.periods[1].start) + MIN);
      await until(h, 'review 2', (s) => Boolean(s.reviews?.[1]?.dueLabel));
      const second = (await status(h)).reviews![1];
      await skipTo(env, Date.parse(second.dueAt) + MIN);
      await until(h, 'review 2 escalation', (s) => Boolean(s.reviews?.[1]?.escalatedAt));
      await h.signal(healthCheckPlanChangedSignal, change(['remote'], 'account changed (plan SP1)', false));
      await until(h, 'review 2 closed', (s) => s.reviews?.[1]?.state === 'closed');
    });
  } finally {
    await worker.stop();
    await env.teardown();
    await receiver.close();
  }
  return written;
}
