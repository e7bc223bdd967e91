// The state of one contract year of an account and its transitions: the offer, the requested
// checks (schedule, reschedule, reminder, completion, overdue), account reviews, plan changes and
// the year's end. Plain class without Temporal: the workflow passes workflow time in (`nowMs`),
// runs the timers and activities, and sends the notices the transitions return, in their order.
import type { TaskNotifyInput } from '../../activities/health-check.activities';
import {
  AccountReviewPeriod,
  AccountReviewPlan,
  AccountReviewTask,
  CompleteAccountReviewInput,
  CompleteHealthCheckInput,
  HEALTH_CHECK_KINDS,
  HEALTH_CHECK_LABELS,
  HealthCheckInput,
  HealthCheckKind,
  HealthCheckMemo,
  HealthCheckPlanChange,
  HealthCheckStatus,
  HealthCheckTask,
  OfferTask,
  RequestHealthCheckInput,
  reviewTaskId,
  ScheduleHealthCheckInput,
  Task,
  TASK_EVENTS,
  taskId,
  TaskState,
} from '../../libs/contracts/src/health-check';
import type { Role } from '../../libs/contracts/src/incident';
import { rejection } from '../../libs/contracts/src/rejection';
import { openOffer, yearMemo } from '../../libs/health-checks/src/year-memo';

export const isKind = (v: unknown): v is HealthCheckKind => HEALTH_CHECK_KINDS.includes(v as HealthCheckKind);
export const final = (state: TaskState) => state === 'done' || state === 'closed' || state === 'expired';
const iso = (ms: number) => new Date(ms).toISOString();
/** Milliseconds from `nowMs` to `at`, never below `floor`. */
export const msUntil = (at: string, nowMs: number, floor = 0) => Math.max(floor, Date.parse(at) - nowMs);

/** A task event to deliver: `suffix` tells repeated events of one task apart (reschedules). */
export interface TaskNotice {
  event: string;
  task: Task;
  message: string;
  alsoNotify: Role[];
  suffix: string;
}

/** What a due/reminder planning activity answered. */
export interface PlannedDue {
  dueAt: string;
  dueLabel: string;
}

export class ContractYearCase {
  planId: string;
  planName: string;
  kinds: HealthCheckKind[];
  readonly offer: OfferTask;
  readonly requests: Partial<Record<HealthCheckKind, HealthCheckTask>> = {};
  readonly reviews: AccountReviewTask[] = [];
  readonly timeline: HealthCheckStatus['timeline'] = [];
  readonly deliveryFailures: HealthCheckStatus['deliveryFailures'] = [];
  /** Reviews are created while on; a plan change switches it (from the next period). */
  reviewsOn: boolean;
  /** Per kind, how many times it was scheduled: a reschedule supersedes the pending reminder. */
  private readonly scheduleGeneration: Partial<Record<HealthCheckKind, number>> = {};
  private readonly endMs: number;

  /** `reviewPlan` only for years that know account reviews (the workflow decides, behind a patch). */
  constructor(
    readonly input: HealthCheckInput,
    readonly reviewPlan: AccountReviewPlan | undefined,
    nowMs: number,
  ) {
    this.planId = input.planId;
    this.planName = input.planName;
    this.kinds = [...input.kinds];
    this.offer = openOffer(input, iso(nowMs));
    this.reviewsOn = reviewPlan?.enabled ?? false;
    this.endMs = Date.parse(input.end);
  }

  status(): HealthCheckStatus {
    const { accountId, contractYear, start, end, supportCenter } = this.input;
    const { planId, kinds, offer, requests, reviews, timeline, deliveryFailures } = this;
    return {
      accountId,
      contractYear,
      start,
      end,
      planId,
      supportCenter,
      kinds,
      offer,
      requests,
      reviews,
      timeline,
      deliveryFailures,
    };
  }

  memo(): HealthCheckMemo {
    const { planId, kinds, offer, requests } = this;
    return yearMemo(this.input, {
      planId,
      kinds,
      offer,
      requests,
      ...(this.reviewPlan ? { reviews: this.reviews } : {}),
    });
  }

  /** `open` while any task is open or scheduled; else `done` once anything was requested or reviewed. */
  state(): TaskState {
    const active =
      Object.values(this.requests).some((t) => !final(t.state)) || this.reviews.some((t) => !final(t.state));
    if (this.offer.state === 'open' || active) return 'open';
    return Object.keys(this.requests).length > 0 || this.reviews.some((t) => t.state === 'done')
      ? 'done'
      : this.offer.state;
  }

  /** The next instant someone owes something: the open offer's year end, a check's due or date, a review's due. */
  nextDueMs(): number | undefined {
    const dues = [
      ...(this.offer.state === 'open' ? [this.endMs] : []),
      ...Object.values(this.requests)
        .filter((t) => !final(t.state))
        .map((t) => Date.parse(t.state === 'scheduled' && t.scheduledFor ? t.scheduledFor : t.dueAt)),
      ...this.reviews.filter((t) => !final(t.state)).map((t) => Date.parse(t.dueAt)),
    ];
    return dues.length > 0 ? Math.min(...dues) : undefined;
  }

  /** One line for the workflow's current details. */
  details(): string {
    const offers =
      Object.entries(this.offer.offers)
        .map(([k, o]) => `${k} ${o?.status}`)
        .join(', ') || 'none';
    const requests = Object.values(this.requests).map(
      (t) => `${t.kind} ${t.state}${t.scheduledFor ? ` for ${t.scheduledFor}` : ''}`,
    );
    return (
      `Contract year ${this.input.contractYear} (until ${this.input.end}) · offer ${this.offer.state} (${offers})` +
      (requests.length ? ` · ${requests.join(' · ')}` : '') +
      (this.reviews.length ? ` · reviews ${this.reviews.map((t) => `${t.review} ${t.state}`).join(', ')}` : '') +
      ` · owner ${this.offer.owner}`
    );
  }

  /** The notify activity's input for a notice, as of `nowMs` (the task copied: later changes are not sent). */
  notifyInput(notice: TaskNotice, nowMs: number): TaskNotifyInput {
    const { accountId, accountName, supportCenter, contractYear } = this.input;
    return {
      event: notice.event,
      webhookId: `${notice.task.taskId}.${notice.event}${notice.suffix}`,
      occurredAt: iso(nowMs),
      alsoNotify: notice.alsoNotify,
      account: { accountId, accountName, planId: this.planId, supportCenter, contractYear },
      task: JSON.parse(JSON.stringify(notice.task)) as Task,
      message: notice.message,
    };
  }

  /** A delivery that finally failed: kept in the status, never dropped. */
  deliveryFailed(payload: TaskNotifyInput, error: string, nowMs: number): void {
    this.deliveryFailures.push({ at: iso(nowMs), event: payload.event, webhookId: payload.webhookId, error });
    this.record(nowMs, 'notification.failed', undefined, { event: payload.event, webhookId: payload.webhookId, error });
  }

  /** The year's first step: the offer is announced to its owner. */
  opened(nowMs: number): TaskNotice {
    this.record(nowMs, 'offer.created', undefined, { kinds: this.kinds, owner: this.offer.owner });
    const { accountName, contractYear } = this.input;
    const offered = `the annual health check(s) of contract year ${contractYear}: ${this.kinds.join(' + ')}`;
    return notice(TASK_EVENTS.created, this.offer, `Offer ${accountName} ${offered}`);
  }

  validateRequest(command: RequestHealthCheckInput, nowMs: number): void {
    const { contractYear, end } = this.input;
    if (!isKind(command?.kind)) throw rejection(422, 'kind', 'enum', 'must be remote or onsite');
    const label = HEALTH_CHECK_LABELS[command.kind];
    if (!this.kinds.includes(command.kind)) {
      throw rejection(
        422,
        'kind',
        'planFeature',
        `plan ${this.planId} (${this.planName}) does not include the ${label}`,
      );
    }
    const earlier = this.requests[command.kind];
    if (earlier) {
      const what = `the ${command.kind} health check of contract year ${contractYear}`;
      throw rejection(409, 'kind', 'oncePerContractYear', `${what} was already requested at ${earlier.createdAt}`);
    }
    const offered = this.offer.offers[command.kind];
    if (nowMs >= this.endMs || offered?.status === 'expired') {
      throw rejection(409, 'kind', 'contractYearEnded', `contract year ${contractYear} ended at ${end}`);
    }
    if (offered?.status === 'closed')
      throw rejection(409, 'kind', 'offerClosed', `the offer was closed: ${offered.reason ?? ''}`);
    (command.preferredDates ?? []).forEach((date, i) => {
      const t = Date.parse(date);
      const field = `preferredDates[${i}]`;
      if (!Number.isFinite(t)) throw rejection(422, field, 'format', 'must be an ISO date or instant');
      if (t <= nowMs) throw rejection(422, field, 'future', `must be in the future (${date})`);
      if (t >= this.endMs)
        throw rejection(422, field, 'contractYear', `must be before the contract year ends (${end})`);
    });
  }

  /**
   * A validated request: its task exists at once (a concurrent duplicate fails validation) with its
   * due still to plan (`requestPlanned`); the notices are the offer's, if it settled closed/expired.
   */
  request(command: RequestHealthCheckInput, nowMs: number): { task: HealthCheckTask; notices: TaskNotice[] } {
    const kind = command.kind;
    const requestedAt = iso(nowMs);
    const task: HealthCheckTask = {
      taskId: taskId(this.input.accountId, this.input.contractYear, kind),
      kind,
      title: `schedule the ${kind} health check`,
      state: 'open',
      owner: this.offer.owner,
      ownerKind: this.offer.ownerKind,
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
    this.requests[kind] = task;
    this.offer.offers[kind] = { status: 'requested', at: requestedAt };
    const notices = this.settleOffer(`every eligible kind requested (${Object.keys(this.requests).join(', ')})`);
    return { task, notices };
  }

  requestPlanned(kind: HealthCheckKind, due: PlannedDue, actor: string, nowMs: number): TaskNotice {
    const task = this.requests[kind]!;
    task.dueAt = due.dueAt;
    task.dueLabel = due.dueLabel;
    this.record(nowMs, 'health_check.requested', actor, {
      kind,
      preferredDates: task.preferredDates,
      dueAt: task.dueAt,
    });
    return notice(
      TASK_EVENTS.created,
      task,
      `${this.input.accountName} requested the ${HEALTH_CHECK_LABELS[kind]}: ${task.dueLabel}`,
    );
  }

  /** A request not scheduled by its due: escalated to the support manager. */
  overdue(kind: HealthCheckKind, nowMs: number): TaskNotice {
    const task = this.requests[kind]!;
    task.escalatedAt = iso(nowMs);
    this.record(nowMs, 'task.overdue', undefined, { taskId: task.taskId, dueAt: task.dueAt });
    const message = `${HEALTH_CHECK_LABELS[kind]} of ${this.input.accountId} was not scheduled by ${task.dueAt}`;
    return notice(TASK_EVENTS.overdue, task, message, ['supportManager']);
  }

  validateSchedule(command: ScheduleHealthCheckInput, nowMs: number): void {
    this.requireOpenRequest(command?.kind, 'schedule');
    const t = Date.parse(command.date);
    if (!Number.isFinite(t)) throw rejection(422, 'date', 'format', 'must be an ISO date or instant');
    if (t <= nowMs) throw rejection(422, 'date', 'future', `must be in the future (${command.date})`);
  }

  /** Schedules or reschedules; returns the generation whose reminder `scheduled` will set. */
  schedule(command: ScheduleHealthCheckInput): number {
    const task = this.requests[command.kind]!;
    task.scheduledFor = iso(Date.parse(command.date));
    task.scheduledBy = command.actor;
    task.state = 'scheduled';
    task.remindAt = null;
    task.remindedAt = null;
    const generation = this.generation(command.kind) + 1;
    this.scheduleGeneration[command.kind] = generation;
    return generation;
  }

  /** The reminder of `generation` planned; a newer schedule meanwhile keeps its own (none yet). */
  scheduled(command: ScheduleHealthCheckInput, generation: number, remindAt: string, nowMs: number): TaskNotice {
    const task = this.requests[command.kind]!;
    if (this.generation(command.kind) === generation) task.remindAt = remindAt;
    this.record(nowMs, 'health_check.scheduled', command.actor, {
      kind: command.kind,
      scheduledFor: task.scheduledFor,
      remindAt,
    });
    const label = HEALTH_CHECK_LABELS[command.kind];
    const message = `${label} of ${this.input.accountId} scheduled for ${task.scheduledFor}`;
    return notice(TASK_EVENTS.scheduled, task, message, [], `.${generation}`);
  }

  generation(kind: HealthCheckKind): number {
    return this.scheduleGeneration[kind] ?? 0;
  }

  /** The reminder of schedule `generation` is due. */
  remind(kind: HealthCheckKind, generation: number, nowMs: number): TaskNotice {
    const task = this.requests[kind]!;
    task.remindedAt = iso(nowMs);
    this.record(nowMs, 'task.reminder', undefined, { taskId: task.taskId, scheduledFor: task.scheduledFor });
    const message = `${HEALTH_CHECK_LABELS[kind]} of ${this.input.accountId} is on ${task.scheduledFor}`;
    return notice(TASK_EVENTS.reminder, task, message, [], `.${generation}`);
  }

  validateComplete(command: CompleteHealthCheckInput): void {
    const task = this.requireOpenRequest(command?.kind, 'complete');
    if (task.state !== 'scheduled') throw rejection(409, 'taskId', 'notScheduled', 'record the scheduled date first');
    requireSummary(command);
  }

  complete(command: CompleteHealthCheckInput, nowMs: number): { task: HealthCheckTask; notice: TaskNotice } {
    const task = this.requests[command.kind]!;
    markDone(task, command, nowMs);
    this.record(nowMs, 'health_check.completed', command.actor, { kind: command.kind });
    const message = `${HEALTH_CHECK_LABELS[command.kind]} of ${this.input.accountId} completed`;
    return { task, notice: notice(TASK_EVENTS.completed, task, message) };
  }

  /**
   * Whether the review of a period starting now is created: reviews on and the year not over.
   * The period running at the year's start counts; a plan change into reviews waits for the next.
   */
  reviewWanted(nowMs: number): boolean {
    return this.reviewsOn && nowMs < this.endMs;
  }

  /** The review of `period`, its due still to plan (`reviewPlanned`). */
  openReview(period: AccountReviewPeriod, nowMs: number): AccountReviewTask {
    const createdAt = iso(nowMs);
    const task: AccountReviewTask = {
      taskId: reviewTaskId(this.input.accountId, this.input.contractYear, period.review),
      kind: 'review',
      review: period.review,
      title: this.reviewPlan!.title,
      state: 'open',
      owner: this.offer.owner,
      ownerKind: this.offer.ownerKind,
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
    this.reviews.push(task);
    return task;
  }

  reviewPlanned(task: AccountReviewTask, due: PlannedDue, nowMs: number): TaskNotice {
    task.dueAt = due.dueAt;
    task.dueLabel = due.dueLabel;
    this.record(nowMs, 'review.created', undefined, {
      taskId: task.taskId,
      review: task.review,
      periodStart: task.periodStart,
      dueAt: task.dueAt,
    });
    const of = `review ${task.review} of ${this.reviewPlan!.periods.length}`;
    return notice(TASK_EVENTS.created, task, `${task.title} of ${this.input.accountName} (${of}): ${task.dueLabel}`);
  }

  /** A review not held by its due: escalated like an unscheduled request. */
  reviewOverdue(task: AccountReviewTask, nowMs: number): TaskNotice {
    task.escalatedAt = iso(nowMs);
    this.record(nowMs, 'task.overdue', undefined, { taskId: task.taskId, dueAt: task.dueAt });
    const message = `${task.title} of ${this.input.accountId} (review ${task.review}) was not held by ${task.dueAt}`;
    return notice(TASK_EVENTS.overdue, task, message, ['supportManager']);
  }

  validateReviewComplete(command: CompleteAccountReviewInput): void {
    const task = this.reviews.find((t) => t.review === command?.review);
    if (!task) {
      throw rejection(
        409,
        'taskId',
        'notCreated',
        `review ${command?.review} of contract year ${this.input.contractYear} has not been created`,
      );
    }
    if (task.state === 'done')
      throw rejection(409, 'taskId', 'completed', `the review was completed at ${task.completedAt}`);
    if (final(task.state))
      throw rejection(409, 'taskId', task.state, `the review is ${task.state}: ${task.outcome ?? ''}`);
    requireSummary(command);
  }

  completeReview(command: CompleteAccountReviewInput, nowMs: number): { task: AccountReviewTask; notice: TaskNotice } {
    const task = this.reviews.find((t) => t.review === command.review)!;
    markDone(task, command, nowMs);
    this.record(nowMs, 'review.completed', command.actor, { taskId: task.taskId });
    return {
      task,
      notice: notice(
        TASK_EVENTS.completed,
        task,
        `${task.title} of ${this.input.accountId} (review ${task.review}) completed`,
      ),
    };
  }

  /**
   * The account's plan, owner or review plan changed: kinds it no longer includes close their open
   * offers, kinds it adds open (before the year's end), open tasks move to the new owner, and reviews
   * switched off close. Undefined for a repeated sync (nothing changed, nothing to publish).
   */
  changePlan(change: HealthCheckPlanChange, nowMs: number): TaskNotice[] | undefined {
    const sameKinds = change.kinds.length === this.kinds.length && change.kinds.every((k) => this.kinds.includes(k));
    const sameReviews = !this.reviewPlan || change.reviews === undefined || change.reviews === this.reviewsOn;
    if (change.planId === this.planId && sameKinds && change.owner === this.offer.owner && sameReviews)
      return undefined;
    this.planId = change.planId;
    this.planName = change.planName;
    this.kinds = change.kinds.filter(isKind);
    if (this.offer.owner !== change.owner) {
      this.offer.owner = change.owner;
      this.offer.ownerKind = change.ownerKind;
      for (const task of [...Object.values(this.requests), ...this.reviews]) {
        if (!final(task.state)) {
          task.owner = change.owner;
          task.ownerKind = change.ownerKind;
        }
      }
    }
    const notices: TaskNotice[] = [];
    if (this.reviewPlan && change.reviews !== undefined && change.reviews !== this.reviewsOn) {
      this.reviewsOn = change.reviews;
      const reason = `plan changed to ${change.planId} (${change.planName}), which includes no account reviews`;
      if (!this.reviewsOn) notices.push(...this.closeReviews('closed', reason, nowMs));
    }
    const yearOver = nowMs >= this.endMs;
    for (const kind of HEALTH_CHECK_KINDS) {
      const current = this.offer.offers[kind];
      if (this.kinds.includes(kind) && !yearOver && (!current || current.status === 'closed')) {
        this.offer.offers[kind] = { status: 'open', at: iso(nowMs) };
      }
      if (!this.kinds.includes(kind) && current?.status === 'open')
        this.closeOffer(kind, 'closed', change.reason, nowMs);
    }
    const reviews = this.reviewPlan ? { reviews: this.reviewsOn } : {};
    this.record(nowMs, 'plan.changed', undefined, {
      planId: this.planId,
      kinds: this.kinds,
      owner: change.owner,
      ...reviews,
      reason: change.reason,
    });
    notices.push(...this.settleOffer(change.reason));
    return notices;
  }

  /** Milliseconds until the year's end (0 once over). */
  untilEnd(nowMs: number): number {
    return Math.max(0, this.endMs - nowMs);
  }

  /** The year's end: open reviews and unrequested offers expire (requested checks stay open until done). */
  endYear(nowMs: number): TaskNotice[] {
    const { contractYear } = this.input;
    const notices = this.closeReviews('expired', `not completed by the end of contract year ${contractYear}`, nowMs);
    for (const kind of HEALTH_CHECK_KINDS) {
      if (this.offer.offers[kind]?.status === 'open') {
        this.closeOffer(kind, 'expired', `not requested by the end of contract year ${contractYear}`, nowMs);
      }
    }
    notices.push(...this.settleOffer(`contract year ${contractYear} ended`));
    this.record(nowMs, 'contract_year.ended');
    return notices;
  }

  /** Every requested check is done (the workflow may end once its trackers finished too). */
  requestsFinal(): boolean {
    return Object.values(this.requests).every((t) => final(t.state));
  }

  private record(nowMs: number, type: string, actor?: string, details?: Record<string, unknown>): void {
    this.timeline.push({ at: iso(nowMs), type, actor, details });
  }

  private closeOffer(kind: HealthCheckKind, status: 'expired' | 'closed', reason: string, nowMs: number): void {
    this.offer.offers[kind] = { status, at: iso(nowMs), reason };
  }

  /** Offer state from its kinds: open while any kind is open; leaving `open` unrequested is announced. */
  private settleOffer(reason: string): TaskNotice[] {
    const statuses = Object.values(this.offer.offers).map((o) => o!.status);
    if (statuses.includes('open')) {
      this.offer.state = 'open';
      return [];
    }
    const previous = this.offer.state;
    this.offer.state = statuses.includes('requested') ? 'done' : statuses.includes('expired') ? 'expired' : 'closed';
    this.offer.outcome = reason;
    if (previous !== 'open' || this.offer.state === 'done') return [];
    return [notice(this.offer.state === 'expired' ? TASK_EVENTS.expired : TASK_EVENTS.closed, this.offer, reason)];
  }

  private closeReviews(state: 'closed' | 'expired', reason: string, nowMs: number): TaskNotice[] {
    const notices: TaskNotice[] = [];
    for (const task of this.reviews) {
      if (final(task.state)) continue;
      task.state = state;
      task.outcome = reason;
      this.record(nowMs, state === 'closed' ? 'review.closed' : 'review.expired', undefined, {
        taskId: task.taskId,
        reason,
      });
      const message = `${task.title} of ${this.input.accountId} (review ${task.review}) ${state}: ${reason}`;
      notices.push(notice(state === 'closed' ? TASK_EVENTS.closed : TASK_EVENTS.expired, task, message));
    }
    return notices;
  }

  /** The open or scheduled request of `kind`, else the rejection saying why there is nothing to `what`. */
  private requireOpenRequest(kind: unknown, what: string): HealthCheckTask {
    if (!isKind(kind)) throw rejection(422, 'kind', 'enum', 'must be remote or onsite');
    const task = this.requests[kind];
    if (!task) {
      const year = this.input.contractYear;
      const message = `the ${kind} health check of contract year ${year} has not been requested; nothing to ${what}`;
      throw rejection(409, 'taskId', 'notRequested', message);
    }
    if (task.state === 'done')
      throw rejection(409, 'taskId', 'completed', `the ${kind} health check was completed at ${task.completedAt}`);
    if (final(task.state)) throw rejection(409, 'taskId', task.state, `the task is ${task.state}`);
    return task;
  }
}

function notice(event: string, task: Task, message: string, alsoNotify: Role[] = [], suffix = ''): TaskNotice {
  return { event, task, message, alsoNotify, suffix };
}

function requireSummary(command: { summary: string }): void {
  if (typeof command.summary !== 'string' || command.summary.trim() === '')
    throw rejection(422, 'summary', 'required', 'is required');
}

/** A health check or review completed by `actor` with a summary. */
function markDone(
  task: HealthCheckTask | AccountReviewTask,
  command: { actor: string; summary: string },
  nowMs: number,
): void {
  task.state = 'done';
  task.completedAt = iso(nowMs);
  task.completedBy = command.actor;
  task.summary = command.summary;
}
