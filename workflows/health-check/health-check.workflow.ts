// Workflow `health-check/<accountId>/<contractYear>`: one contract year of an eligible account.
// Deterministic: every instant (due, reminder, review period) comes from an activity; the workflow
// only compares and sleeps on workflow time. The year's state and rules are ContractYearCase's;
// this file wires its handlers, timers and activities, and publishes memo and search attributes.
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { HealthCheckActivities } from '../../activities/health-check.activities';
import {
  AccountReviewTask,
  completeAccountReviewUpdate,
  completeHealthCheckUpdate,
  HealthCheckInput,
  HealthCheckKind,
  healthCheckPlanChangedSignal,
  HealthCheckStatus,
  healthCheckStatusQuery,
  requestHealthCheckUpdate,
  scheduleHealthCheckUpdate,
} from '../../libs/contracts/src/health-check';
import { SA } from '../../libs/contracts/src/search-attributes';
import { deliveryRetryPolicy, resolveNotificationRetry } from '../common/retry-policy';
import { ContractYearCase, final, msUntil, TaskNotice } from './contract-year-case';

export async function healthCheckWorkflow(input: HealthCheckInput): Promise<HealthCheckStatus> {
  const planning = proxyActivities<HealthCheckActivities>({
    startToCloseTimeout: '1m',
    retry: { maximumAttempts: 20 },
  });
  const notifier = proxyActivities<HealthCheckActivities>({
    startToCloseTimeout: '2m',
    retry: deliveryRetryPolicy(resolveNotificationRetry(input.notificationRetry)),
  });
  // Account reviews (policy `accountReviews`): only for inputs that carry the plan, and behind a
  // patch so a year started by a worker without reviews replays without their timers.
  const reviewPlan = input.reviews !== undefined && patched('account-reviews') ? input.reviews : undefined;
  const year = new ContractYearCase(input, reviewPlan, Date.now());
  const { supportCenter } = input;
  const trackers: Array<Promise<void>> = [];
  const reviewTrackers: Array<Promise<void>> = [];
  const background: Array<Promise<void>> = [];

  /** Memo and search attributes: SlaState = `open` while any task is open or scheduled; SlaIhrDueAt = next due. */
  const publish = () => {
    upsertMemo({ ...year.memo() });
    const due = year.nextDueMs();
    upsertSearchAttributes([
      { key: SA.plan, value: year.planId },
      { key: SA.owner, value: year.offer.owner },
      { key: SA.state, value: year.state() },
      { key: SA.ihrDueAt, value: due === undefined ? null : new Date(due) },
    ]);
    setCurrentDetails(year.details());
  };

  /** Delivers a task event in the background; a final failure is recorded, never dropped. */
  const notify = (notice: TaskNotice) => {
    const payload = year.notifyInput(notice, Date.now());
    background.push(
      notifier.notifyTask(payload).then(
        () => undefined,
        (error: unknown) => {
          const cause =
            error instanceof ActivityFailure && error.cause
              ? error.cause.message
              : String((error as Error)?.message ?? error);
          year.deliveryFailed(payload, cause, Date.now());
        },
      ),
    );
  };

  /** Escalates a request not scheduled by its due, then reminds before each (re)scheduled date. */
  async function track(kind: HealthCheckKind): Promise<void> {
    const task = year.requests[kind]!;
    const scheduledInTime = await condition(
      () => task.scheduledFor !== null || final(task.state),
      msUntil(task.dueAt, Date.now()),
    );
    if (!scheduledInTime) {
      const notice = year.overdue(kind, Date.now());
      publish();
      notify(notice);
    }
    let handled = 0;
    while (!final(task.state)) {
      await condition(() => final(task.state) || (task.remindAt !== null && year.generation(kind) !== handled));
      if (final(task.state)) break;
      const generation = year.generation(kind);
      handled = generation;
      // A reschedule (new generation) or completion before the reminder supersedes it.
      const interrupted = await condition(
        () => final(task.state) || year.generation(kind) !== generation,
        msUntil(task.remindAt!, Date.now()),
      );
      if (interrupted) continue;
      const notice = year.remind(kind, generation, Date.now());
      publish();
      notify(notice);
    }
  }

  /** Escalates an account review not completed by its due instant (like an unscheduled request). */
  async function trackReview(task: AccountReviewTask): Promise<void> {
    const doneInTime = await condition(() => final(task.state), msUntil(task.dueAt, Date.now(), 1));
    if (!doneInTime) {
      const notice = year.reviewOverdue(task, Date.now());
      publish();
      notify(notice);
      await condition(() => final(task.state));
    }
  }

  /** One review per period whose start the workflow reaches (see ContractYearCase.reviewWanted). */
  async function runReviews(): Promise<void> {
    if (!reviewPlan) return;
    for (const period of reviewPlan.periods) {
      if (Date.parse(period.end) <= Date.now()) continue;
      const untilStart = Date.parse(period.start) - Date.now();
      if (untilStart > 0) await sleep(untilStart);
      if (!year.reviewWanted(Date.now())) continue;
      const task = year.openReview(period, Date.now());
      const dueInput = {
        supportCenter,
        requestedAt: task.createdAt,
        businessDays: reviewPlan.dueBusinessDays,
        verb: 'hold',
      };
      const notice = year.reviewPlanned(task, await planning.planHealthCheckDue(dueInput), Date.now());
      publish();
      notify(notice);
      reviewTrackers.push(trackReview(task));
    }
  }

  setHandler(healthCheckStatusQuery, () => year.status());

  setHandler(
    requestHealthCheckUpdate,
    async (command) => {
      const { task, notices } = year.request(command, Date.now()); // before any await: a duplicate fails validation
      notices.forEach(notify);
      const due = await planning.planHealthCheckDue({ supportCenter, requestedAt: task.createdAt });
      const notice = year.requestPlanned(command.kind, due, command.actor, Date.now());
      publish();
      notify(notice);
      trackers.push(track(command.kind));
      return task;
    },
    { validator: (command) => year.validateRequest(command, Date.now()) },
  );

  setHandler(
    scheduleHealthCheckUpdate,
    async (command) => {
      const generation = year.schedule(command);
      const reminder = await planning.planHealthCheckReminder({
        supportCenter,
        scheduledFor: year.requests[command.kind]!.scheduledFor!,
      });
      const notice = year.scheduled(command, generation, reminder.remindAt, Date.now());
      publish();
      notify(notice);
      return year.requests[command.kind]!;
    },
    { validator: (command) => year.validateSchedule(command, Date.now()) },
  );

  setHandler(
    completeHealthCheckUpdate,
    (command) => {
      const { task, notice } = year.complete(command, Date.now());
      publish();
      notify(notice);
      return task;
    },
    { validator: (command) => year.validateComplete(command) },
  );

  if (reviewPlan) {
    setHandler(
      completeAccountReviewUpdate,
      (command) => {
        const { task, notice } = year.completeReview(command, Date.now());
        publish();
        notify(notice);
        return task;
      },
      { validator: (command) => year.validateReviewComplete(command) },
    );
  }

  setHandler(healthCheckPlanChangedSignal, (change) => {
    const notices = year.changePlan(change, Date.now());
    if (!notices) return; // a repeated sync
    notices.forEach(notify);
    publish();
  });

  publish();
  notify(year.opened(Date.now()));

  const reviewRun = runReviews();

  // The offer runs until the contract year's end; unrequested kinds expire then.
  const untilEnd = year.untilEnd(Date.now());
  if (untilEnd > 0) await sleep(untilEnd);
  await reviewRun;
  year.endYear(Date.now()).forEach(notify);
  publish();

  // Requested checks stay open until completed (a check may be held after the year's end).
  await condition(() => year.requestsFinal() && trackers.length === Object.keys(year.requests).length);
  await Promise.all(trackers);
  await Promise.all(reviewTrackers);
  await Promise.all(background);
  await condition(allHandlersFinished);
  return year.status();
}
