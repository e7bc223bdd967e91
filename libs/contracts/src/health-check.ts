import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { WORKFLOW_TYPES } from './vocabulary';

/** The kinds of annual health check (plan features `healthChecks.remote` / `.onsite`). */
export type HealthCheckKind = 'remote' | 'onsite';
export const HEALTH_CHECK_KINDS: readonly HealthCheckKind[] = ['remote', 'onsite'];
export const HEALTH_CHECK_LABELS: Record<HealthCheckKind, string> = {
  remote: 'remote health check (1 h, virtual)',
  onsite: 'onsite health check (half day)',
};

/**
 * Task states (`SlaState` of task-bearing workflows): `open` waits for the owner, `scheduled` has a
 * date, `done` is finished (completed check, or an offer fully requested), `expired` ran out at the
 * contract year's end, `closed` was closed by a plan change (reason recorded).
 */
export type TaskState = 'open' | 'scheduled' | 'done' | 'expired' | 'closed';
export const TASK_STATES: readonly TaskState[] = ['open', 'scheduled', 'done', 'expired', 'closed'];

/** Who works a task: the account's TAM (its id) or the center's customer-success queue (its address). */
export interface TaskOwner {
  owner: string;
  ownerKind: 'tam' | 'queue';
}

/** One contract year of an account, as computed by `contractYearAt` (libs/health-checks/src/health-check-cycle.ts). */
export interface ContractYear {
  contractYear: number;
  /** ISO instants: [start, end) in the support center's zone, 00:00 local on the anniversaries. */
  start: string;
  end: string;
}

/** Everything a year's workflow needs, resolved by an activity (or the API) from the account and the policy. */
export interface HealthCheckInput extends ContractYear, TaskOwner {
  accountId: string;
  accountName: string;
  planId: string;
  planName: string;
  supportCenter: string;
  zone: string;
  /** Kinds the plan makes eligible at start (may grow or shrink with plan changes). */
  kinds: HealthCheckKind[];
  /**
   * Recurring TAM account reviews of this contract year (policy `accountReviews`), resolved by the
   * activity/API that builds this input. Absent in inputs from before account reviews existed.
   */
  reviews?: AccountReviewPlan;
  /** Test hook: delivery retry policy override. */
  notificationRetry?: {
    initialIntervalMs?: number;
    backoffCoefficient?: number;
    maximumIntervalMs?: number;
    maximumAttempts?: number;
  };
}

/** One review period of a contract year: [start, end), `review` counts from 1. */
export interface AccountReviewPeriod {
  review: number;
  start: string;
  end: string;
}

/** The account-review plan of a contract year: every instant is computed by an activity. */
export interface AccountReviewPlan {
  /** Whether the plan includes reviews at start (plan changes switch it, from the next period). */
  enabled: boolean;
  everyMonths: number;
  dueBusinessDays: number;
  /** "host the quarterly account review" */
  title: string;
  /** Every period of the contract year (also when disabled, so an upgrade can use them). */
  periods: AccountReviewPeriod[];
}

export type OfferStatus = 'open' | 'requested' | 'expired' | 'closed';

/** The task "offer the annual health check(s)"; its id is `<accountId>:<contractYear>:offer`. */
export interface OfferTask {
  taskId: string;
  kind: 'offer';
  title: string;
  state: TaskState;
  owner: string;
  ownerKind: TaskOwner['ownerKind'];
  createdAt: string;
  /** The contract year's end: unrequested kinds expire then. */
  dueAt: string;
  offers: Partial<Record<HealthCheckKind, { status: OfferStatus; at?: string; reason?: string }>>;
  outcome: string | null;
}

/** The task "schedule the <kind> health check"; its id is `<accountId>:<contractYear>:<kind>`. */
export interface HealthCheckTask {
  taskId: string;
  kind: HealthCheckKind;
  title: string;
  state: TaskState;
  owner: string;
  ownerKind: TaskOwner['ownerKind'];
  createdAt: string;
  requestedBy: string;
  preferredDates: string[];
  /** 10 business days of the center after the request (end of the 10th business day). */
  dueAt: string;
  dueLabel: string;
  escalatedAt: string | null;
  scheduledFor: string | null;
  scheduledBy: string | null;
  /** 2 business days before the scheduled date, at the center's opening. */
  remindAt: string | null;
  remindedAt: string | null;
  completedAt: string | null;
  completedBy: string | null;
  summary: string | null;
}

/**
 * The task "host the quarterly account review" of one period; its id is
 * `<accountId>:<contractYear>:review-<n>`. `open` -> `done` (completed with a summary), `closed`
 * (plan change out of the review plans) or `expired` (still open at the contract year's end).
 */
export interface AccountReviewTask {
  taskId: string;
  kind: 'review';
  review: number;
  title: string;
  state: TaskState;
  owner: string;
  ownerKind: TaskOwner['ownerKind'];
  createdAt: string;
  periodStart: string;
  periodEnd: string;
  /** End of the `dueBusinessDays`-th business day of the center after the creation day. */
  dueAt: string;
  dueLabel: string;
  escalatedAt: string | null;
  completedAt: string | null;
  completedBy: string | null;
  summary: string | null;
  /** Why it was closed or expired. */
  outcome: string | null;
}

export type Task = OfferTask | HealthCheckTask | AccountReviewTask;

export interface HealthCheckEvent {
  at: string;
  type: string;
  actor?: string;
  details?: Record<string, unknown>;
}

export interface HealthCheckStatus {
  accountId: string;
  contractYear: number;
  start: string;
  end: string;
  planId: string;
  supportCenter: string;
  kinds: HealthCheckKind[];
  offer: OfferTask;
  requests: Partial<Record<HealthCheckKind, HealthCheckTask>>;
  /** Account-review tasks in creation order (absent in memos of years from before reviews). */
  reviews?: AccountReviewTask[];
  timeline: HealthCheckEvent[];
  /** Notification deliveries that finally failed (never silently dropped). */
  deliveryFailures: Array<{ at: string; event: string; webhookId: string; error: string }>;
}

/** Memo of a health-check workflow: the whole status minus the timeline (reads without a worker). */
export type HealthCheckMemo = Omit<HealthCheckStatus, 'timeline' | 'deliveryFailures'>;

export interface RequestHealthCheckInput {
  kind: HealthCheckKind;
  /** ISO dates or instants; each in the future and inside the contract year. */
  preferredDates?: string[];
  actor: string;
}

export interface ScheduleHealthCheckInput {
  kind: HealthCheckKind;
  /** ISO date (YYYY-MM-DD, 09:00 local is assumed) or instant. */
  date: string;
  actor: string;
}

export interface CompleteHealthCheckInput {
  kind: HealthCheckKind;
  summary: string;
  actor: string;
}

export interface CompleteAccountReviewInput {
  review: number;
  summary: string;
  actor: string;
}

/** From the schedule-sync activity: the account's plan, owner or center changed. */
export interface HealthCheckPlanChange {
  planId: string;
  planName: string;
  kinds: HealthCheckKind[];
  owner: string;
  ownerKind: TaskOwner['ownerKind'];
  /** Whether the new plan includes account reviews (absent from older senders: unchanged). */
  reviews?: boolean;
  reason: string;
}

export const healthCheckStatusQuery = defineQuery<HealthCheckStatus>('healthCheckStatus');
export const requestHealthCheckUpdate = defineUpdate<HealthCheckTask, [RequestHealthCheckInput]>('requestHealthCheck');
export const scheduleHealthCheckUpdate = defineUpdate<HealthCheckTask, [ScheduleHealthCheckInput]>(
  'scheduleHealthCheck',
);
export const completeHealthCheckUpdate = defineUpdate<HealthCheckTask, [CompleteHealthCheckInput]>(
  'completeHealthCheck',
);
export const completeAccountReviewUpdate = defineUpdate<AccountReviewTask, [CompleteAccountReviewInput]>(
  'completeAccountReview',
);
export const healthCheckPlanChangedSignal = defineSignal<[HealthCheckPlanChange]>('healthCheckPlanChanged');

/** Task ids: `<accountId>:<contractYear>:offer|remote|onsite|review-<n>` (account ids never contain `:`). */
export const taskId = (accountId: string, contractYear: number, kind: HealthCheckKind | 'offer'): string =>
  `${accountId}:${contractYear}:${kind}`;
export const reviewTaskId = (accountId: string, contractYear: number, review: number): string =>
  `${accountId}:${contractYear}:review-${review}`;

export type ParsedTaskId =
  | { accountId: string; contractYear: number; kind: HealthCheckKind | 'offer' }
  | { accountId: string; contractYear: number; kind: 'review'; review: number };

export function parseTaskId(id: string): ParsedTaskId | undefined {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63}):(\d{4}):(offer|remote|onsite|review-([1-9]\d{0,1}))$/.exec(id);
  if (!match) return undefined;
  const base = { accountId: match[1], contractYear: Number(match[2]) };
  if (match[4] !== undefined) return { ...base, kind: 'review', review: Number(match[4]) };
  return { ...base, kind: match[3] as HealthCheckKind | 'offer' };
}

/** Workflow types (names of the exported workflow functions), under the names their callers import. */
export const HEALTH_CHECK_WORKFLOW_TYPE = WORKFLOW_TYPES.healthCheck;
export const HEALTH_CHECK_STARTER_WORKFLOW_TYPE = WORKFLOW_TYPES.healthCheckStarter;

/** Notification events of tasks (subscribe with `task.*`). */
export const TASK_EVENTS = {
  created: 'task.created',
  reminder: 'task.reminder',
  overdue: 'task.overdue',
  expired: 'task.expired',
  closed: 'task.closed',
  scheduled: 'task.scheduled',
  completed: 'task.completed',
} as const;

/** What a schedule sync or reconciliation did for one account. */
export interface ScheduleSyncResult {
  accountId: string;
  scheduleId: string;
  schedule: 'created' | 'updated' | 'deleted' | 'unchanged' | 'absent';
  /** The current contract year's workflow: started, already there, signalled, or nothing to do. */
  yearWorkflow?: { workflowId: string; action: 'started' | 'existing' | 'signalled' | 'none' };
}

export interface ReconcileReport {
  at: string;
  eligibleAccounts: number;
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: number;
}
