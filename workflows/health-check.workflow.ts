// Workflow `health-check/<accountId>/<contractYear>`: one contract year of an eligible account.
// Deterministic: every instant (due, reminder, review period) comes from an activity; the workflow
// only compares and sleeps on workflow time.
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
import type { HealthCheckActivities, TaskNotifyInput } from '../activities/health-check.activities';
import {
  AccountReviewPeriod,
  AccountReviewTask,
  CompleteAccountReviewInput,
  completeAccountReviewUpdate,
  completeHealthCheckUpdate,
  HEALTH_CHECK_KINDS,
  HEALTH_CHECK_LABELS,
  HealthCheckEvent,
  HealthCheckInput,
  HealthCheckKind,
  HealthCheckMemo,
  HealthCheckPlanChange,
  healthCheckPlanChangedSignal,
  HealthCheckStatus,
  healthCheckStatusQuery,
  HealthCheckTask,
  OfferTask,
  requestHealthCheckUpdate,
  RequestHealthCheckInput,
  reviewTaskId,
  scheduleHealthCheckUpdate,
  ScheduleHealthCheckInput,
  CompleteHealthCheckInput,
  Task,
  TASK_EVENTS,
  taskId,
  TaskState,
} from '../libs/contracts/src/health-check';
import type { Role } from '../libs/contracts/src/incident';
import { rejection } from '../libs/contracts/src/rejection';
import { SA } from '../libs/contracts/src/search-attributes';

const DEFAULT_RETRY = { initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 60_000, maximumAttempts: 8 };
const isKind = (v: unknown): v is HealthCheckKind => HEALTH_CHECK_KINDS.includes(v as HealthCheckKind);
const final = (state: TaskState) => state === 'done' || state === 'closed' || state === 'expired';

export async function healthCheckWorkflow(input: HealthCheckInput): Promise<HealthCheckStatus> {
  const retry = { ...DEFAULT_RETRY, ...input.notificationRetry };
  const planning = proxyActivities<HealthCheckActivities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 20 } });
  const notifier = proxyActivities<HealthCheckActivities>({
    startToCloseTimeout: '2m',
    retry: {
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      maximumAttempts: retry.maximumAttempts,
    },
  });

  const now = () => new Date(Date.now()).toISOString();
  const endMs = Date.parse(input.end);
  let planId = input.planId;
  let planName = input.planName;
  let kinds: HealthCheckKind[] = [...input.kinds];
  const offer: OfferTask = {
    taskId: taskId(input.accountId, input.contractYear, 'offer'),
    kind: 'offer',
    title: `offer the annual health check(s): ${kinds.join(' + ')}`,
    state: 'open',
    owner: input.owner,
    ownerKind: input.ownerKind,
    createdAt: now(),
    dueAt: input.end,
    offers: Object.fromEntries(kinds.map((k) => [k, { status: 'open' }])),
    outcome: null,
  };
  const requests: Partial<Record<HealthCheckKind, HealthCheckTask>> = {};
  const scheduleGeneration: Partial<Record<HealthCheckKind, number>> = {};
  const timeline: HealthCheckEvent[] = [];
  const deliveryFailures: HealthCheckStatus['deliveryFailures'] = [];
  // Account reviews (policy `accountReviews`): only for inputs that carry the plan, and behind a
  // patch so a year started by a worker without reviews replays without their timers.
  const reviewPlan = input.reviews !== undefined && patched('account-reviews') ? input.reviews : undefined;
  let reviewsOn = reviewPlan?.enabled ?? false;
  const reviews: AccountReviewTask[] = [];
  const reviewTrackers: Array<Promise<void>> = [];
  const background: Array<Promise<void>> = [];
  const account = {
    accountId: input.accountId,
    accountName: input.accountName,
    planId,
    supportCenter: input.supportCenter,
    contractYear: input.contractYear,
  };

  const status = (): HealthCheckStatus => ({
    accountId: input.accountId,
    contractYear: input.contractYear,
    start: input.start,
    end: input.end,
    planId,
    supportCenter: input.supportCenter,
    kinds,
    offer,
    requests,
    reviews,
    timeline,
    deliveryFailures,
  });

  const record = (type: string, actor?: string, details?: Record<string, unknown>) => timeline.push({ at: now(), type, actor, details });

  /** Memo and search attributes: SlaState = `open` while any task is open or scheduled; SlaIhrDueAt = next due. */
  const publish = () => {
    const memo: HealthCheckMemo = { accountId: input.accountId, contractYear: input.contractYear, start: input.start, end: input.end, planId, supportCenter: input.supportCenter, kinds, offer, requests, ...(reviewPlan ? { reviews } : {}) };
    upsertMemo({ ...memo });
    const active = Object.values(requests).filter((t) => !final(t.state));
    const activeReviews = reviews.filter((t) => !final(t.state));
    const dues = [
      ...(offer.state === 'open' ? [endMs] : []),
      ...active.map((t) => Date.parse(t.state === 'scheduled' && t.scheduledFor ? t.scheduledFor : t.dueAt)),
      ...activeReviews.map((t) => Date.parse(t.dueAt)),
    ];
    const state: TaskState =
      offer.state === 'open' || active.length > 0 || activeReviews.length > 0
        ? 'open'
        : Object.keys(requests).length > 0 || reviews.some((t) => t.state === 'done')
          ? 'done'
          : offer.state;
    upsertSearchAttributes([
      { key: SA.plan, value: planId },
      { key: SA.owner, value: offer.owner },
      { key: SA.state, value: state },
      { key: SA.ihrDueAt, value: dues.length > 0 ? new Date(Math.min(...dues)) : null },
    ]);
    const requestText = Object.values(requests).map((t) => `${t.kind} ${t.state}${t.scheduledFor ? ` for ${t.scheduledFor}` : ''}`);
    setCurrentDetails(
      `Contract year ${input.contractYear} (until ${input.end}) · offer ${offer.state} (${Object.entries(offer.offers).map(([k, o]) => `${k} ${o?.status}`).join(', ') || 'none'})` +
        (requestText.length ? ` · ${requestText.join(' · ')}` : '') +
        (reviews.length ? ` · reviews ${reviews.map((t) => `${t.review} ${t.state}`).join(', ')}` : '') +
        ` · owner ${offer.owner}`,
    );
  };

  /** Delivers a task event in the background; a final failure is recorded, never dropped. */
  const notify = (event: string, task: Task, message: string, alsoNotify: Role[] = [], suffix = '') => {
    const payload: TaskNotifyInput = {
      event,
      webhookId: `${task.taskId}.${event}${suffix}`,
      occurredAt: now(),
      alsoNotify,
      account: { ...account, planId },
      task: JSON.parse(JSON.stringify(task)) as typeof task,
      message,
    };
    background.push(
      notifier.notifyTask(payload).then(
        () => undefined,
        (error: unknown) => {
          const cause = error instanceof ActivityFailure && error.cause ? error.cause.message : String((error as Error)?.message ?? error);
          deliveryFailures.push({ at: now(), event, webhookId: payload.webhookId, error: cause });
          record('notification.failed', undefined, { event, webhookId: payload.webhookId, error: cause });
        },
      ),
    );
  };

  const closeOffer = (kind: HealthCheckKind, status: 'expired' | 'closed', reason: string) => {
    offer.offers[kind] = { status, at: now(), reason };
  };

  /** Offer state from its kinds: open while any kind is open. */
  const settleOffer = (reason: string) => {
    const statuses = Object.values(offer.offers).map((o) => o!.status);
    if (statuses.includes('open')) {
      offer.state = 'open';
      return;
    }
    const previous = offer.state;
    offer.state = statuses.includes('requested') ? 'done' : statuses.includes('expired') ? 'expired' : 'closed';
    offer.outcome = reason;
    if (previous === 'open' && offer.state !== 'done') {
      notify(offer.state === 'expired' ? TASK_EVENTS.expired : TASK_EVENTS.closed, offer, reason);
    }
  };

  async function track(kind: HealthCheckKind): Promise<void> {
    const task = requests[kind]!;
    const scheduledInTime = await condition(() => task.scheduledFor !== null || final(task.state), Math.max(0, Date.parse(task.dueAt) - Date.now()));
    if (!scheduledInTime) {
      task.escalatedAt = now();
      record('task.overdue', undefined, { taskId: task.taskId, dueAt: task.dueAt });
      publish();
      notify(TASK_EVENTS.overdue, task, `${HEALTH_CHECK_LABELS[kind]} of ${input.accountId} was not scheduled by ${task.dueAt}`, ['supportManager']);
    }
    let handled = 0;
    while (!final(task.state)) {
      await condition(() => final(task.state) || (task.remindAt !== null && (scheduleGeneration[kind] ?? 0) !== handled));
      if (final(task.state)) break;
      const generation = scheduleGeneration[kind] ?? 0;
      handled = generation;
      const remindMs = Date.parse(task.remindAt!);
      const interrupted = await condition(
        () => final(task.state) || (scheduleGeneration[kind] ?? 0) !== generation,
        Math.max(0, remindMs - Date.now()),
      );
      if (interrupted) continue;
      task.remindedAt = now();
      record('task.reminder', undefined, { taskId: task.taskId, scheduledFor: task.scheduledFor });
      publish();
      notify(TASK_EVENTS.reminder, task, `${HEALTH_CHECK_LABELS[kind]} of ${input.accountId} is on ${task.scheduledFor}`, [], `.${generation}`);
    }
  }
  const trackers: Array<Promise<void>> = [];

  /** Escalates an account review not completed by its due instant (like an unscheduled request). */
  async function trackReview(task: AccountReviewTask): Promise<void> {
    const doneInTime = await condition(() => final(task.state), Math.max(1, Date.parse(task.dueAt) - Date.now()));
    if (!doneInTime) {
      task.escalatedAt = now();
      record('task.overdue', undefined, { taskId: task.taskId, dueAt: task.dueAt });
      publish();
      notify(TASK_EVENTS.overdue, task, `${task.title} of ${input.accountId} (review ${task.review}) was not held by ${task.dueAt}`, ['supportManager']);
      await condition(() => final(task.state));
    }
  }

  async function createReview(period: AccountReviewPeriod): Promise<void> {
    const createdAt = now();
    const task: AccountReviewTask = {
      taskId: reviewTaskId(input.accountId, input.contractYear, period.review),
      kind: 'review',
      review: period.review,
      title: reviewPlan!.title,
      state: 'open',
      owner: offer.owner,
      ownerKind: offer.ownerKind,
      createdAt,
      periodStart: period.start,
      periodEnd: period.end,
      dueAt: createdAt,
      dueLabel: '',
      escalatedAt: null,
      completedAt: null,
      completedBy: null,
      summary: null,
      outcome: null,
    };
    reviews.push(task);
    const due = await planning.planHealthCheckDue({ supportCenter: input.supportCenter, requestedAt: createdAt, businessDays: reviewPlan!.dueBusinessDays, verb: 'hold' });
    task.dueAt = due.dueAt;
    task.dueLabel = due.dueLabel;
    record('review.created', undefined, { taskId: task.taskId, review: task.review, periodStart: period.start, dueAt: task.dueAt });
    publish();
    notify(TASK_EVENTS.created, task, `${task.title} of ${input.accountName} (review ${task.review} of ${reviewPlan!.periods.length}): ${task.dueLabel}`);
    reviewTrackers.push(trackReview(task));
  }

  /**
   * One review per period whose start the workflow reaches while the plan includes reviews; the
   * period running at the workflow's start counts (new account, anniversary firing), periods that
   * ended before it do not. A plan change into reviews takes effect from the next period.
   */
  async function runReviews(): Promise<void> {
    if (!reviewPlan) return;
    for (const period of reviewPlan.periods) {
      if (Date.parse(period.end) <= Date.now()) continue;
      const untilStart = Date.parse(period.start) - Date.now();
      if (untilStart > 0) await sleep(untilStart);
      if (reviewsOn && Date.now() < endMs) await createReview(period);
    }
  }

  const closeReviews = (state: 'closed' | 'expired', reason: string) => {
    for (const task of reviews) {
      if (final(task.state)) continue;
      task.state = state;
      task.outcome = reason;
      record(state === 'closed' ? 'review.closed' : 'review.expired', undefined, { taskId: task.taskId, reason });
      notify(state === 'closed' ? TASK_EVENTS.closed : TASK_EVENTS.expired, task, `${task.title} of ${input.accountId} (review ${task.review}) ${state}: ${reason}`);
    }
  };

  setHandler(healthCheckStatusQuery, status);

  setHandler(
    requestHealthCheckUpdate,
    async (command: RequestHealthCheckInput): Promise<HealthCheckTask> => {
      const kind = command.kind;
      const requestedAt = now();
      const task: HealthCheckTask = {
        taskId: taskId(input.accountId, input.contractYear, kind),
        kind,
        title: `schedule the ${kind} health check`,
        state: 'open',
        owner: offer.owner,
        ownerKind: offer.ownerKind,
        createdAt: requestedAt,
        requestedBy: command.actor,
        preferredDates: command.preferredDates ?? [],
        dueAt: requestedAt,
        dueLabel: '',
        escalatedAt: null,
        scheduledFor: null,
        scheduledBy: null,
        remindAt: null,
        remindedAt: null,
        completedAt: null,
        completedBy: null,
        summary: null,
      };
      requests[kind] = task; // before any await: a concurrent duplicate fails validation
      offer.offers[kind] = { status: 'requested', at: requestedAt };
      settleOffer(`every eligible kind requested (${Object.keys(requests).join(', ')})`);
      const due = await planning.planHealthCheckDue({ supportCenter: input.supportCenter, requestedAt });
      task.dueAt = due.dueAt;
      task.dueLabel = due.dueLabel;
      record('health_check.requested', command.actor, { kind, preferredDates: task.preferredDates, dueAt: task.dueAt });
      publish();
      notify(TASK_EVENTS.created, task, `${input.accountName} requested the ${HEALTH_CHECK_LABELS[kind]}: ${task.dueLabel}`);
      trackers.push(track(kind));
      return task;
    },
    {
      validator: (command: RequestHealthCheckInput) => {
        if (!isKind(command?.kind)) throw rejection(422, 'kind', 'enum', 'must be remote or onsite');
        if (!kinds.includes(command.kind)) {
          throw rejection(422, 'kind', 'planFeature', `plan ${planId} (${planName}) does not include the ${HEALTH_CHECK_LABELS[command.kind]}`);
        }
        if (requests[command.kind]) {
          throw rejection(409, 'kind', 'oncePerContractYear', `the ${command.kind} health check of contract year ${input.contractYear} was already requested at ${requests[command.kind]!.createdAt}`);
        }
        const status = offer.offers[command.kind]?.status;
        if (Date.now() >= endMs || status === 'expired') {
          throw rejection(409, 'kind', 'contractYearEnded', `contract year ${input.contractYear} ended at ${input.end}`);
        }
        if (status === 'closed') throw rejection(409, 'kind', 'offerClosed', `the offer was closed: ${offer.offers[command.kind]?.reason ?? ''}`);
        (command.preferredDates ?? []).forEach((date, i) => {
          const t = Date.parse(date);
          if (!Number.isFinite(t)) throw rejection(422, `preferredDates[${i}]`, 'format', 'must be an ISO date or instant');
          if (t <= Date.now()) throw rejection(422, `preferredDates[${i}]`, 'future', `must be in the future (${date})`);
          if (t >= endMs) throw rejection(422, `preferredDates[${i}]`, 'contractYear', `must be before the contract year ends (${input.end})`);
        });
      },
    },
  );

  const requireTask = (kind: unknown, what: string): HealthCheckTask => {
    if (!isKind(kind)) throw rejection(422, 'kind', 'enum', 'must be remote or onsite');
    const task = requests[kind];
    if (!task) throw rejection(409, 'taskId', 'notRequested', `the ${kind} health check of contract year ${input.contractYear} has not been requested; nothing to ${what}`);
    if (task.state === 'done') throw rejection(409, 'taskId', 'completed', `the ${kind} health check was completed at ${task.completedAt}`);
    if (final(task.state)) throw rejection(409, 'taskId', task.state, `the task is ${task.state}`);
    return task;
  };

  setHandler(
    scheduleHealthCheckUpdate,
    async (command: ScheduleHealthCheckInput): Promise<HealthCheckTask> => {
      const task = requests[command.kind]!;
      task.scheduledFor = new Date(Date.parse(command.date)).toISOString();
      task.scheduledBy = command.actor;
      task.state = 'scheduled';
      task.remindAt = null;
      task.remindedAt = null;
      const generation = (scheduleGeneration[command.kind] ?? 0) + 1;
      scheduleGeneration[command.kind] = generation;
      const reminder = await planning.planHealthCheckReminder({ supportCenter: input.supportCenter, scheduledFor: task.scheduledFor });
      if (scheduleGeneration[command.kind] === generation) task.remindAt = reminder.remindAt;
      record('health_check.scheduled', command.actor, { kind: command.kind, scheduledFor: task.scheduledFor, remindAt: reminder.remindAt });
      publish();
      notify(TASK_EVENTS.scheduled, task, `${HEALTH_CHECK_LABELS[command.kind]} of ${input.accountId} scheduled for ${task.scheduledFor}`, [], `.${generation}`);
      return task;
    },
    {
      validator: (command: ScheduleHealthCheckInput) => {
        requireTask(command?.kind, 'schedule');
        const t = Date.parse(command.date);
        if (!Number.isFinite(t)) throw rejection(422, 'date', 'format', 'must be an ISO date or instant');
        if (t <= Date.now()) throw rejection(422, 'date', 'future', `must be in the future (${command.date})`);
      },
    },
  );

  /** A health check or review completed by `actor` with a summary. */
  const markDone = (task: HealthCheckTask | AccountReviewTask, command: { actor: string; summary: string }) => {
    task.state = 'done';
    task.completedAt = now();
    task.completedBy = command.actor;
    task.summary = command.summary;
  };

  setHandler(
    completeHealthCheckUpdate,
    (command: CompleteHealthCheckInput): HealthCheckTask => {
      const task = requests[command.kind]!;
      markDone(task, command);
      record('health_check.completed', command.actor, { kind: command.kind });
      publish();
      notify(TASK_EVENTS.completed, task, `${HEALTH_CHECK_LABELS[command.kind]} of ${input.accountId} completed`);
      return task;
    },
    {
      validator: (command: CompleteHealthCheckInput) => {
        const task = requireTask(command?.kind, 'complete');
        if (task.state !== 'scheduled') throw rejection(409, 'taskId', 'notScheduled', 'record the scheduled date first');
        if (typeof command.summary !== 'string' || command.summary.trim() === '') throw rejection(422, 'summary', 'required', 'is required');
      },
    },
  );

  if (reviewPlan) {
    setHandler(
      completeAccountReviewUpdate,
      (command: CompleteAccountReviewInput): AccountReviewTask => {
        const task = reviews.find((t) => t.review === command.review)!;
        markDone(task, command);
        record('review.completed', command.actor, { taskId: task.taskId });
        publish();
        notify(TASK_EVENTS.completed, task, `${task.title} of ${input.accountId} (review ${task.review}) completed`);
        return task;
      },
      {
        validator: (command: CompleteAccountReviewInput) => {
          const task = reviews.find((t) => t.review === command?.review);
          if (!task) throw rejection(409, 'taskId', 'notCreated', `review ${command?.review} of contract year ${input.contractYear} has not been created`);
          if (task.state === 'done') throw rejection(409, 'taskId', 'completed', `the review was completed at ${task.completedAt}`);
          if (final(task.state)) throw rejection(409, 'taskId', task.state, `the review is ${task.state}: ${task.outcome ?? ''}`);
          if (typeof command.summary !== 'string' || command.summary.trim() === '') throw rejection(422, 'summary', 'required', 'is required');
        },
      },
    );
  }

  setHandler(healthCheckPlanChangedSignal, (change: HealthCheckPlanChange) => {
    const sameKinds = change.kinds.length === kinds.length && change.kinds.every((k) => kinds.includes(k));
    const sameReviews = !reviewPlan || change.reviews === undefined || change.reviews === reviewsOn;
    if (change.planId === planId && sameKinds && change.owner === offer.owner && sameReviews) return; // a repeated sync
    planId = change.planId;
    planName = change.planName;
    kinds = change.kinds.filter(isKind);
    if (offer.owner !== change.owner) {
      offer.owner = change.owner;
      offer.ownerKind = change.ownerKind;
      for (const task of [...Object.values(requests), ...reviews]) {
        if (!final(task.state)) {
          task.owner = change.owner;
          task.ownerKind = change.ownerKind;
        }
      }
    }
    if (reviewPlan && change.reviews !== undefined && change.reviews !== reviewsOn) {
      reviewsOn = change.reviews;
      if (!reviewsOn) closeReviews('closed', `plan changed to ${change.planId} (${change.planName}), which includes no account reviews`);
    }
    const yearOver = Date.now() >= endMs;
    for (const kind of HEALTH_CHECK_KINDS) {
      const current = offer.offers[kind];
      if (kinds.includes(kind) && !yearOver && (!current || current.status === 'closed')) offer.offers[kind] = { status: 'open', at: now() };
      if (!kinds.includes(kind) && current?.status === 'open') closeOffer(kind, 'closed', change.reason);
    }
    record('plan.changed', undefined, { planId, kinds, owner: change.owner, ...(reviewPlan ? { reviews: reviewsOn } : {}), reason: change.reason });
    settleOffer(change.reason);
    publish();
  });

  publish();
  record('offer.created', undefined, { kinds, owner: offer.owner });
  notify(TASK_EVENTS.created, offer, `Offer ${input.accountName} the annual health check(s) of contract year ${input.contractYear}: ${kinds.join(' + ')}`);

  const reviewRun = runReviews();

  // The offer runs until the contract year's end; unrequested kinds expire then.
  const untilEnd = endMs - Date.now();
  if (untilEnd > 0) await sleep(untilEnd);
  await reviewRun;
  closeReviews('expired', `not completed by the end of contract year ${input.contractYear}`);
  for (const kind of HEALTH_CHECK_KINDS) {
    if (offer.offers[kind]?.status === 'open') closeOffer(kind, 'expired', `not requested by the end of contract year ${input.contractYear}`);
  }
  settleOffer(`contract year ${input.contractYear} ended`);
  record('contract_year.ended');
  publish();

  // Requested checks stay open until completed (a check may be held after the year's end).
  await condition(() => Object.values(requests).every((t) => final(t.state)) && trackers.length === Object.keys(requests).length);
  await Promise.all(trackers);
  await Promise.all(reviewTrackers);
  await Promise.all(background);
  await condition(allHandlersFinished);
  return status();
}
