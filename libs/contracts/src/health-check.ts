import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

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

/** One contract year of an account, as computed by `contractYearAt` (activities/health-check-cycle.ts). */
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
  /** Test hook: delivery retry policy override. */
  notificationRetry?: { initialIntervalMs?: number; backoffCoefficient?: number; maximumIntervalMs?: number; maximumAttempts?: number };
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

export type Task = OfferTask | HealthCheckTask;

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

/** From the schedule-sync activity: the account's plan, owner or center changed. */
export interface HealthCheckPlanChange {
  planId: string;
  planName: string;
  kinds: HealthCheckKind[];
  owner: string;
  ownerKind: TaskOwner['ownerKind'];
  reason: string;
}

export const healthCheckStatusQuery = defineQuery<HealthCheckStatus>('healthCheckStatus');
export const requestHealthCheckUpdate = defineUpdate<HealthCheckTask, [RequestHealthCheckInput]>('requestHealthCheck');
export const scheduleHealthCheckUpdate = defineUpdate<HealthCheckTask, [ScheduleHealthCheckInput]>('scheduleHealthCheck');
export const completeHealthCheckUpdate = defineUpdate<HealthCheckTask, [CompleteHealthCheckInput]>('completeHealthCheck');
export const healthCheckPlanChangedSignal = defineSignal<[HealthCheckPlanChange]>('healthCheckPlanChanged');

/** Task ids: `<accountId>:<contractYear>:offer|remote|onsite` (account ids never contain `:`). */
export const taskId = (accountId: string, contractYear: number, kind: HealthCheckKind | 'offer'): string =>
  `${accountId}:${contractYear}:${kind}`;

export function parseTaskId(id: string): { accountId: string; contractYear: number; kind: HealthCheckKind | 'offer' } | undefined {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63}):(\d{4}):(offer|remote|onsite)$/.exec(id);
  if (!match) return undefined;
  return { accountId: match[1], contractYear: Number(match[2]), kind: match[3] as HealthCheckKind | 'offer' };
}

/** Workflow types (names of the exported workflow functions). */
export const HEALTH_CHECK_WORKFLOW_TYPE = 'healthCheckWorkflow';
export const HEALTH_CHECK_STARTER_WORKFLOW_TYPE = 'healthCheckStarterWorkflow';

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
