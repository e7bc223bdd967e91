import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CalendarConfig, Explanation } from '../../business-time/src';

import type { Channel, Role, Severity } from './vocabulary';

// Defined in vocabulary.ts; named here too because many files import them from this module.
export type { Channel, Role, Severity } from './vocabulary';
export type Priority = 1 | 2 | 3 | 4;
/** The IHR outcome: `resolved` = resolved before any outcome. Resolution itself = the workflow completed. */
export type IncidentState = 'pending' | 'met' | 'breached' | 'resolved';
export type CoverageKind = '24x7' | 'business-hours';
export type SeverityKey = 'sev1' | 'sev2' | 'sev3' | 'sev4';
export type PerSeverity<T> = Record<SeverityKey, T>;
export const severityKey = (severity: Severity): SeverityKey => `sev${severity}`;

/** What a support client reports when it opens an incident (validated by the API). */
export interface IncidentIntake {
  incidentId: string;
  accountId: string;
  contactId: string;
  severity: Severity;
  priority: Priority;
  channel: Channel;
  product: string;
  productVersion: string;
  summary: string;
  description: string;
  environment?: string;
  /** ISO instant the incident entered the ticketing system; the IHR clock starts here. */
  enteredAt: string;
  externalRef?: string;
}

/** One escalation step, durations already in ms. */
export interface LadderStep {
  id: string;
  event: string;
  notify: Role[];
  at: { percentOfTarget: number } | { afterBreachMs: number };
}

/**
 * Taken at entry (`pinSla` of libs/policy) and kept for the incident's life (rule 6): later policy
 * or plan changes never retarget it, and replay never depends on the current config.
 */
export interface PinnedSla {
  planId: string;
  planName: string;
  supportCenter: string;
  zone: string;
  policyVersion: string;
  targets: PerSeverity<number>;
  coverage: PerSeverity<CoverageKind>;
  ladders: PerSeverity<LadderStep[]>;
  criticalOpen: PerSeverity<boolean>;
  /** The event and roles of the critical-open notification (fired at entry where `criticalOpen`). */
  criticalOpenStep: { event: string; notify: Role[] };
  /** The support center's business-hours calendar. */
  calendar: CalendarConfig;
}

/** Activity retry policy of notification deliveries (defaults: 1s, x2, max 1m, 8 attempts). */
export interface NotificationRetry {
  initialIntervalMs?: number;
  backoffCoefficient?: number;
  maximumIntervalMs?: number;
  maximumAttempts?: number;
}

export interface IncidentWorkflowInput {
  intake: IncidentIntake;
  pinned: PinnedSla;
  /**
   * The clock at entry, planned by the API with the same planner the clock activities use: the start
   * then carries the due instant, and the first workflow task needs no activity and no upsert. Absent
   * (older clients, tests), the workflow plans it in a local activity.
   */
  initialClock?: IhrClock;
  /** Optional override of the delivery retry policy (tests shorten it). */
  notificationRetry?: NotificationRetry;
  /** Optional override of when a run continues as new (tests force it; defaults in incident.workflow.ts). */
  historyLimits?: HistoryLimits;
  /** The state of the run this one continued from (continue-as-new, patch `bounded-history`). */
  continued?: IncidentCarried;
}

/** A run continues as new once its history passes either limit (or the server suggests it). */
export interface HistoryLimits {
  events?: number;
  bytes?: number;
}

/**
 * What a run hands to the next when it continues as new: the whole status (the full timeline, never
 * dropped), the clock with its exact instants, the steps fired and the breach instant actually fired.
 */
export interface IncidentCarried {
  status: IncidentStatus;
  breachedAtMs?: number;
  resolved: boolean;
  requestedSeverity: Severity;
  fired: string[];
  /** Runs before this one (1 in the first continued run). */
  runs: number;
  /** Responses recorded late (the report's list) and how many there were: they stay listed across runs. */
  lateResponses?: LateResponse[];
  lateResponseCount?: number;
}

/** A ladder step as planned: percent steps carry their instant, after-breach steps their delay. */
export interface PlannedStep {
  id: string;
  event: string;
  notify: Role[];
  /** ISO instant (percent steps: enteredAt + p % of the target in coverage time). */
  at?: string;
  /** `at` for people: "Mon 7 Dec 15:00 Europe/Helsinki". */
  atLabel?: string;
  /** Wall-clock delay after the breach instant actually fired. */
  afterBreachMs?: number;
}

/** The IHR clock as planned by the `planIhrClock` activity: absolute instants only. */
export interface IhrClock {
  generation: number;
  severity: Severity;
  coverage: CoverageKind;
  targetMs: number;
  dueAt: string;
  /** "IHR due Mon 5 Jan 10:00 Europe/Helsinki" for UI summaries. */
  dueLabel: string;
  steps: PlannedStep[];
  explanation: Explanation;
}

export type ResponseKind = 'solution' | 'information_request';
export const RESPONSE_KINDS: readonly ResponseKind[] = ['solution', 'information_request'];

/**
 * The instant the API received a command's request (ISO), set by the API, never by its caller: the
 * command takes effect then, clamped to [entry, workflow now] (patch `request-instants`), not when a
 * worker gets to it. Absent (older APIs, tests): workflow time.
 */
export interface RequestInstant {
  receivedAt?: string;
}

export interface RecordResponseInput extends RequestInstant {
  kind: ResponseKind;
  responder: string;
  /** ISO instant claimed by the caller; default: the request's instant (`receivedAt`, else workflow time). */
  respondedAt?: string;
  /** The API key id of the caller that recorded it (set by the API, whatever `responder` says). */
  recordedByKeyId?: string;
}

export interface RecordResponseResult {
  /** true when this response is the Initial Human Response. */
  ihr: boolean;
  outcome: 'met' | 'breached';
  respondedAt: string;
  dueAt: string;
  /** Coverage time between entry and the response. */
  businessTimeTakenMs: number;
}

export interface ReclassifyInput extends RequestInstant {
  severity: Severity;
  reason: string;
  actor: string;
}

export interface ResolveInput extends RequestInstant {
  summary: string;
  actor: string;
}

export interface ResolveResult {
  state: IncidentState;
  resolvedAt: string;
}

export interface PriorityChangedInput {
  priority: Priority;
  actor: string;
}

export interface PriorityChangeResult {
  priority: Priority;
  /** false when the incident already had this priority. */
  changed: boolean;
}

/**
 * When and by which key a response with a claimed `respondedAt` was recorded (both absent for a
 * response at its arrival, and in incidents older than patch `request-instants`). `recordedByKeyId`
 * is an API key id: internal, never shown to customers.
 */
export interface RecordedBy {
  /** The instant the API received the request that recorded it. */
  recordedAt?: string;
  /** The API key id of the caller that recorded it. */
  recordedByKeyId?: string;
}

export interface IhrOutcome extends RecordedBy {
  outcome: 'met' | 'breached';
  kind: ResponseKind;
  responder: string;
  respondedAt: string;
  dueAt: string;
  businessTimeTakenMs?: number;
}

export interface ResponseRecord extends RecordedBy {
  kind: ResponseKind;
  responder: string;
  respondedAt: string;
  ihr: boolean;
}

/** A response recorded more than LATE_RESPONSE_MS after the instant it claims (the IHR report lists them). */
export const LATE_RESPONSE_MS = 15 * 60_000;
/** The late responses an incident's memo lists (the first ones; `lateResponseCount` counts them all). */
export const MAX_LATE_RESPONSES = 10;

export interface LateResponse {
  respondedAt: string;
  recordedAt: string;
  /** API key id (internal): customers must not see it. */
  recordedByKeyId: string | null;
  /** recordedAt - respondedAt. */
  lagMs: number;
  ihr: boolean;
}

export interface DeliveryReport {
  webhookId: string;
  recipients: Array<{ role: Role; address: string }>;
  /** Targets that received the event: subscriber ids, `email:<address>`, `chat:<kind>:<role>`. */
  delivered: string[];
  attempt: number;
  /** Roles (or people) no channel reaches, with the reason. */
  unreached?: Array<{ role: Role | 'owner' | 'contact'; reason: string }>;
  /** Set when no target at all could be reached: why (the step is recorded `undeliverable`). */
  undeliverable?: string;
}

export interface FiredStep {
  id: string;
  event: string;
  /** Planned instant (percent steps and after-breach steps alike). */
  at: string;
  /** Workflow time when it fired. */
  firedAt: string;
  webhookId: string;
  /** `undeliverable`: no channel reaches any recipient (`error` says why); never counted as delivered. */
  delivery: 'in-flight' | 'delivered' | 'failed' | 'undeliverable';
  report?: DeliveryReport;
  error?: string;
}

export interface PendingStep {
  id: string;
  event: string;
  /** Planned instant; absent for after-breach steps while no breach happened. */
  at?: string;
  afterBreachMs?: number;
}

export interface DeliveryFailure {
  at: string;
  stepId: string;
  event: string;
  webhookId: string;
  error: string;
  failedSubscribers: string[];
}

export type TimelineType =
  | 'opened'
  | 'clock.planned'
  | 'step.fired'
  | 'step.delivered'
  | 'step.delivery_failed'
  | 'step.undeliverable'
  | 'ihr.breached'
  | 'response.recorded'
  | 'severity.changed'
  | 'priority.changed'
  | 'resolved';

export interface TimelineEvent {
  at: string;
  type: TimelineType;
  actor?: string;
  details: Record<string, unknown>;
}

export interface IncidentStatus {
  incidentId: string;
  state: IncidentState;
  accountId: string;
  planId: string;
  planName: string;
  supportCenter: string;
  policyVersion: string;
  /**
   * The support center's calendar pinned at entry: the IHR clock (and `remainingBusinessMs` in the API)
   * counts in it, whatever the policy says now. Absent from workers older than this field.
   */
  calendar?: CalendarConfig;
  severity: Severity;
  priority: Priority;
  summary: string;
  enteredAt: string;
  /** The current IHR clock (null until planned). */
  ihr: IhrClock | null;
  /** The IHR (first counting response) and its outcome. */
  outcome: IhrOutcome | null;
  breachedAt: string | null;
  responses: ResponseRecord[];
  ladder: { fired: FiredStep[]; pending: PendingStep[] };
  timeline: TimelineEvent[];
  /**
   * Entries in the whole timeline. Set where `timeline` holds only the last entries (the memo, patch
   * `bounded-history`): `timelineTruncated` then says the rest is read page by page (`timeline` query).
   */
  timelineTotal?: number;
  timelineTruncated?: boolean;
  deliveryFailures: DeliveryFailure[];
  resolution: { at: string; summary: string; actor: string } | null;
}

/**
 * Memo kept current by the workflow, so reads answer from `describe()` (the server alone) without
 * asking a worker. The small fields feed lists and reports; `status` is the whole state.
 */
export interface IncidentMemo {
  intakeHash: string;
  summary: string;
  enteredAt: string;
  state?: IncidentState;
  dueAt?: string;
  dueLabel?: string;
  severity?: Severity;
  priority?: Priority;
  planId?: string;
  supportCenter?: string;
  /** Responses recorded late (at most MAX_LATE_RESPONSES, the first); absent when none (patch `request-instants`). */
  lateResponses?: LateResponse[];
  /** How many responses were recorded late in all; absent when none. */
  lateResponseCount?: number;
  /**
   * What the status query answers, as of the last completed workflow task. Absent until the first
   * task ran and in incidents started before the workflow kept it (patch `status-in-memo`).
   */
  status?: IncidentStatus;
}

export const incidentStatusQuery = defineQuery<IncidentStatus>('status');
export const recordResponseUpdate = defineUpdate<RecordResponseResult, [RecordResponseInput]>('recordResponse');
export const reclassifyUpdate = defineUpdate<IhrClock, [ReclassifyInput]>('reclassify');
export const resolveUpdate = defineUpdate<ResolveResult, [ResolveInput]>('resolve');
/** A page of the timeline, oldest first: `pageToken` is where the previous page ended. */
export interface TimelinePageRequest {
  pageSize?: number;
  pageToken?: string;
}

export interface TimelinePage {
  entries: TimelineEvent[];
  total: number;
  /** Absent on the last page. */
  nextPageToken?: string;
}

export const incidentTimelineQuery = defineQuery<TimelinePage, [TimelinePageRequest]>('timeline');
export const priorityChangedSignal = defineSignal<[PriorityChangedInput]>('priorityChanged');
/**
 * The same change as a command, for a client that sends an Idempotency-Key: it answers (409 on a resolved
 * incident, or the key reused with another priority), where the signal only is accepted.
 */
export const changePriorityUpdate = defineUpdate<PriorityChangeResult, [PriorityChangedInput]>('changePriority');
