// One incident's state and the rules that change it (docs/sla-rules.md, rules 1, 4, 5), without Temporal:
// the workflow passes the current workflow time (`now`, epoch ms) into every transition and carries out
// what the case asks for (deliveries, publication, timers), so each rule can be tested in milliseconds.
import type {
  DeliveryReport,
  FiredStep,
  IhrClock,
  IhrOutcome,
  IncidentCarried,
  IncidentStatus,
  IncidentWorkflowInput,
  LateResponse,
  PendingStep,
  PlannedStep,
  PriorityChangedInput,
  ReclassifyInput,
  RecordResponseInput,
  RecordResponseResult,
  ResolveInput,
  ResolveResult,
  RecordedBy,
  Role,
  Severity,
  TimelineEvent,
  TimelinePage,
  TimelinePageRequest,
} from '../../libs/contracts/src/incident';
import { LATE_RESPONSE_MS, MAX_LATE_RESPONSES, RESPONSE_KINDS, severityKey } from '../../libs/contracts/src/incident';
import type { IncidentVisibleState } from '../../libs/contracts/src/incident-publication';
import { rejection } from '../../libs/contracts/src/rejection';

export const CRITICAL_OPEN_STEP_ID = 'critical_open';

export interface MetricTags {
  plan: string;
  severity: number;
}

/** What the case counts; the workflow passes the worker's metric meter (./metrics), tests pass nothing or a spy. */
export interface IncidentMetrics {
  outcome(tags: MetricTags, outcome: 'met' | 'breached' | 'resolved'): void;
  stepFired(tags: MetricTags, step: string, event: string, latenessMs: number): void;
  deliveryFailed(event: string): void;
}

const UNCOUNTED: IncidentMetrics = {
  outcome: () => undefined,
  stepFired: () => undefined,
  deliveryFailed: () => undefined,
};

/** A notification to fire: a planned ladder step or the critical-open notification. */
export interface StepToFire {
  id: string;
  event: string;
  notify: Role[];
}

/** A planned step with its instant (after-breach steps have one once the breach fired). */
export interface TimedStep {
  step: PlannedStep;
  atMs: number;
}

/** What the timer waits for next: a step's instant or the IHR due instant. */
export interface WakeUp {
  ms: number;
  /** The instant for people ("Mon 12 Jan 15:00 Europe/Helsinki"). */
  label: string;
  event: string;
}

/** A response as recorded, before its business time is measured (an activity). */
export interface RecordedResponse {
  /** true when this response is the Initial Human Response. */
  ihr: boolean;
  respondedAt: string;
  /** The IHR outcome (this response's, or the earlier IHR's). */
  outcome: IhrOutcome;
}

/** The ladder's first step still to fire, sent with notifications (null: none). */
export type NextStep = { event: string; at?: string; afterBreachMs?: number } | null;

/** Timeline entries the memo's status carries (the last ones; the rest is paged by the `timeline` query). */
export const MEMO_TIMELINE_ENTRIES = 20;
/** Page size of the `timeline` query: default and maximum. */
export const TIMELINE_PAGE_DEFAULT = 100;
export const TIMELINE_PAGE_MAX = 1000;

const iso = (ms: number) => new Date(ms).toISOString();
const isSeverity = (v: unknown): v is Severity => v === 1 || v === 2 || v === 3 || v === 4;
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
/** "Tue 13 Jan 14:00 Europe/Helsinki" of "IHR due Tue 13 Jan 14:00 Europe/Helsinki". */
const dueInstantLabel = (clock: IhrClock) => clock.dueLabel.replace(/^IHR due /, '');
/** How far a claimed `respondedAt` may lie after the request's arrival (the caller's clock), as `enteredAt`. */
const CLAIM_SKEW_MS = 60_000;

/**
 * One incident: the status the query answers and its transitions. Validation (`check*`) throws the
 * rejection an update's validator answers with and changes nothing; transitions never re-validate
 * (an update's handler runs after its validator accepted it, and on replay without it).
 */
export class IncidentCase {
  private readonly status: IncidentStatus;
  private readonly enteredMs: number;
  private currentClock: IhrClock | undefined;
  /** The breach instant actually fired: max(dueAt, the moment the breach was established). */
  private breachedAtMs: number | undefined;
  private resolved = false;
  /** Severity the last accepted reclassification asked for (validators compare with it). */
  private requestedSeverity: Severity;
  private readonly fired = new Set<string>();
  /** Responses recorded more than LATE_RESPONSE_MS after their claimed instant: the first few, and their count. */
  private readonly lateResponses: LateResponse[] = [];
  private lateResponseCount = 0;

  constructor(
    private readonly input: Pick<IncidentWorkflowInput, 'intake' | 'pinned'>,
    private readonly metrics: IncidentMetrics = UNCOUNTED,
  ) {
    const { intake, pinned } = input;
    this.enteredMs = Date.parse(intake.enteredAt);
    this.requestedSeverity = intake.severity;
    this.status = {
      incidentId: intake.incidentId,
      state: 'pending',
      accountId: intake.accountId,
      planId: pinned.planId,
      planName: pinned.planName,
      supportCenter: pinned.supportCenter,
      policyVersion: pinned.policyVersion,
      calendar: pinned.calendar,
      severity: intake.severity,
      priority: intake.priority,
      summary: intake.summary,
      enteredAt: intake.enteredAt,
      ihr: null,
      outcome: null,
      breachedAt: null,
      responses: [],
      ladder: { fired: [], pending: [] },
      timeline: [],
      deliveryFailures: [],
      resolution: null,
    };
  }

  get isResolved(): boolean {
    return this.resolved;
  }

  /** The IHR clock in force (undefined until the first is applied). */
  get clock(): IhrClock | undefined {
    return this.currentClock;
  }

  get severity(): Severity {
    return this.status.severity;
  }

  get priority(): IncidentStatus['priority'] {
    return this.status.priority;
  }

  /** The incident entered: the timeline's first entry. */
  open(now: number): void {
    const { intake, pinned } = this.input;
    this.note(now, 'opened', {
      severity: intake.severity,
      priority: intake.priority,
      channel: intake.channel,
      planId: pinned.planId,
    });
  }

  /** Takes a (re)planned clock: a due instant already passed with no IHR is a breach at once (rule 5). */
  applyClock(now: number, next: IhrClock): void {
    this.currentClock = next;
    this.status.ihr = next;
    this.status.severity = next.severity;
    if (this.status.outcome === null && !this.resolved) {
      const dueMs = Date.parse(next.dueAt);
      if (dueMs <= now) {
        if (this.status.state !== 'breached') this.markBreached(now, now);
      } else if (this.status.state === 'breached') {
        // Retargeted to a later due instant before any response: the IHR is pending again.
        this.status.state = 'pending';
        this.status.breachedAt = null;
        this.breachedAtMs = undefined;
      }
    }
    this.note(now, 'clock.planned', {
      generation: next.generation,
      severity: next.severity,
      coverage: next.coverage,
      targetMs: next.targetMs,
      dueAt: next.dueAt,
    });
  }

  /** The rules a response breaks, thrown as a rejection (an update validator: changes nothing). */
  checkResponse(now: number, response: RecordResponseInput): void {
    if (this.resolved) {
      throw rejection(409, 'incident', 'open', 'the incident is resolved: no more responses are recorded');
    }
    if (!response || !RESPONSE_KINDS.includes(response.kind)) {
      throw rejection(
        422,
        'kind',
        'humanResponse',
        `kind must be one of ${RESPONSE_KINDS.join(', ')} (got ${JSON.stringify(response?.kind)}): ` +
          'automated acknowledgements never count as a human response (rule 4)',
      );
    }
    if (!nonEmpty(response.responder)) throw rejection(422, 'responder', 'required', 'responder is required');
    // With the request's instant, the worker's now and the caller's clock may differ a little: the
    // claim may lie up to CLAIM_SKEW_MS after either (the transition then takes it as the arrival).
    const receivedMs = response.receivedAt === undefined ? NaN : Date.parse(response.receivedAt);
    const latestMs = Number.isNaN(receivedMs) ? now : Math.max(now, receivedMs) + CLAIM_SKEW_MS;
    if (response.respondedAt !== undefined) {
      const t = Date.parse(response.respondedAt);
      if (Number.isNaN(t)) throw rejection(422, 'respondedAt', 'format', 'respondedAt must be an ISO instant');
      if (t < this.enteredMs) {
        throw rejection(
          422,
          'respondedAt',
          'afterEntry',
          `respondedAt ${response.respondedAt} lies before the incident entered (${this.input.intake.enteredAt})`,
        );
      }
      if (t > latestMs) {
        throw rejection(422, 'respondedAt', 'notInFuture', `respondedAt ${response.respondedAt} lies in the future`);
      }
    }
  }

  /**
   * The instant a command takes effect: when the API received its request (`receivedAt`), clamped to
   * [entry, now] (never in the workflow's future, whatever the clocks of API and worker say, and never
   * before entry); now when the request carries none.
   */
  requestInstant(now: number, receivedAt: string | undefined): number {
    const receivedMs = receivedAt === undefined ? NaN : Date.parse(receivedAt);
    if (Number.isNaN(receivedMs)) return now;
    return Math.min(now, Math.max(this.enteredMs, receivedMs));
  }

  /**
   * Records a response (at `respondedAt`, default the request's instant, else now); the first one is
   * the IHR: met at or before the due instant, breached after it (rule 4) — also when the timer
   * breached it first because the worker got to the request late: the breach is then retracted (its
   * entry and the notifications it fired stay on the record, see docs/escalation.md).
   */
  recordResponse(now: number, response: RecordResponseInput): RecordedResponse {
    const clock = this.requireClock();
    const fromRequest = response.receivedAt !== undefined;
    const receivedMs = this.requestInstant(now, response.receivedAt);
    const claimedMs = response.respondedAt !== undefined ? Date.parse(response.respondedAt) : undefined;
    let respondedMs = claimedMs ?? receivedMs;
    if (fromRequest) respondedMs = Math.max(this.enteredMs, Math.min(respondedMs, receivedMs));
    const respondedAt = iso(respondedMs);
    const recordedBy = fromRequest && claimedMs !== undefined ? this.recordedBy(response, receivedMs) : {};
    if (recordedBy.recordedAt !== undefined && receivedMs - respondedMs > LATE_RESPONSE_MS) {
      this.noteLate(respondedMs, recordedBy, this.status.outcome === null);
    }
    const isIhr = this.status.outcome === null;
    const { kind, responder } = response;
    this.status.responses.push({ kind, responder, respondedAt, ihr: isIhr, ...recordedBy });
    const retracted = this.status.breachedAt;
    if (isIhr) {
      const dueMs = Date.parse(clock.dueAt);
      const outcome = respondedMs <= dueMs ? 'met' : 'breached';
      this.status.outcome = { outcome, kind, responder, respondedAt, dueAt: clock.dueAt, ...recordedBy };
      this.status.state = outcome;
      // Count the transition out of pending once (a breach fired by the timer was counted then).
      if (outcome === 'met' || this.status.breachedAt === null) this.metrics.outcome(this.metricTags(), outcome);
      if (outcome === 'met') {
        this.breachedAtMs = undefined;
        this.status.breachedAt = null;
      } else if (this.status.breachedAt === null) {
        this.breachedAtMs = dueMs;
        this.status.breachedAt = iso(dueMs);
      }
    }
    const details: Record<string, unknown> = { kind, respondedAt, ihr: isIhr, ...recordedBy };
    if (fromRequest) {
      details.appliedAt = iso(now);
      if (isIhr && retracted !== null && this.status.breachedAt === null) details.breachRetracted = retracted;
    }
    this.note(receivedMs, 'response.recorded', details, responder);
    return { ihr: isIhr, respondedAt, outcome: this.status.outcome! };
  }

  /** When (the request's instant) and by which key a response with a claimed instant was recorded. */
  private recordedBy(response: RecordResponseInput, receivedMs: number): RecordedBy {
    return {
      recordedAt: iso(receivedMs),
      ...(response.recordedByKeyId !== undefined ? { recordedByKeyId: response.recordedByKeyId } : {}),
    };
  }

  /** A response recorded more than LATE_RESPONSE_MS after its claimed instant: counted, the first few kept. */
  private noteLate(respondedMs: number, recordedBy: RecordedBy, ihr: boolean): void {
    this.lateResponseCount++;
    if (this.lateResponses.length >= MAX_LATE_RESPONSES) return;
    const recordedMs = Date.parse(recordedBy.recordedAt!);
    this.lateResponses.push({
      respondedAt: iso(respondedMs),
      recordedAt: recordedBy.recordedAt!,
      recordedByKeyId: recordedBy.recordedByKeyId ?? null,
      lagMs: recordedMs - respondedMs,
      ihr,
    });
  }

  /** The response's business time (entry to response, measured by an activity): kept on the IHR. */
  responseMeasured(recorded: RecordedResponse, businessTimeTakenMs: number): RecordResponseResult {
    if (recorded.ihr) recorded.outcome.businessTimeTakenMs = businessTimeTakenMs;
    const { outcome, dueAt } = recorded.outcome;
    return { ihr: recorded.ihr, outcome, respondedAt: recorded.respondedAt, dueAt, businessTimeTakenMs };
  }

  /** The rules a reclassification breaks, thrown as a rejection (an update validator: changes nothing). */
  checkReclassify(change: ReclassifyInput): void {
    if (this.resolved) {
      throw rejection(409, 'incident', 'open', 'the incident is resolved: severity can no longer change');
    }
    if (!change || !isSeverity(change.severity)) {
      throw rejection(422, 'severity', 'range', 'severity must be 1, 2, 3 or 4');
    }
    if (change.severity === this.requestedSeverity) {
      throw rejection(409, 'severity', 'changed', `severity is already ${change.severity}`);
    }
    if (!nonEmpty(change.reason)) throw rejection(422, 'reason', 'required', 'reason is required');
    if (!nonEmpty(change.actor)) throw rejection(422, 'actor', 'required', 'actor is required');
  }

  /** An accepted reclassification, before its clock is planned: the next one is checked against it. */
  reclassifyRequested(change: ReclassifyInput): void {
    this.requestedSeverity = change.severity;
  }

  /**
   * Applies the clock planned for the new severity (retargeted from entry, rule 5) at the request's
   * instant (a due instant passed by then is a breach then) and notes the change.
   */
  reclassify(now: number, change: ReclassifyInput, next: IhrClock): void {
    const from = this.status.severity;
    const atMs = this.requestInstant(now, change.receivedAt);
    this.applyClock(atMs, next);
    const details: Record<string, unknown> = { from, to: change.severity, reason: change.reason, dueAt: next.dueAt };
    if (change.receivedAt !== undefined) details.appliedAt = iso(now);
    this.note(atMs, 'severity.changed', details, change.actor);
  }

  /** The rules a resolution breaks, thrown as a rejection (an update validator: changes nothing). */
  checkResolve(resolution: ResolveInput): void {
    if (this.resolved) throw rejection(409, 'incident', 'open', 'the incident is already resolved');
    if (!resolution || !nonEmpty(resolution.summary))
      throw rejection(422, 'summary', 'required', 'summary is required');
    if (!nonEmpty(resolution.actor)) throw rejection(422, 'actor', 'required', 'actor is required');
  }

  /**
   * Resolves the incident at the request's instant: an IHR still pending then ends `resolved` (a breach
   * the timer fired since, the worker getting to the request late, is retracted); steps not fired never will.
   */
  resolve(now: number, resolution: ResolveInput): ResolveResult {
    this.resolved = true;
    const atMs = this.requestInstant(now, resolution.receivedAt);
    const at = iso(atMs);
    const details: Record<string, unknown> = {};
    if (resolution.receivedAt !== undefined) {
      details.appliedAt = iso(now);
      const dueAt = this.currentClock?.dueAt;
      const breachedLate = this.status.state === 'breached' && this.status.outcome === null;
      if (breachedLate && dueAt !== undefined && Date.parse(dueAt) > atMs) {
        details.breachRetracted = this.status.breachedAt;
        this.status.state = 'pending';
        this.status.breachedAt = null;
        this.breachedAtMs = undefined;
      }
    }
    if (this.status.state === 'pending') {
      this.status.state = 'resolved';
      this.metrics.outcome(this.metricTags(), 'resolved');
    }
    this.status.resolution = { at, summary: resolution.summary, actor: resolution.actor };
    this.note(
      atMs,
      'resolved',
      { state: this.status.state, summary: resolution.summary, ...details },
      resolution.actor,
    );
    return { state: this.status.state, resolvedAt: at };
  }

  /** A priority change; false when ignored (signals cannot be rejected, and the API validates first). */
  checkPriority(change: PriorityChangedInput): void {
    if (this.resolved) throw rejection(409, 'incident', 'open', 'the incident is already resolved');
    if (!change || ![1, 2, 3, 4].includes(change.priority))
      throw rejection(422, 'priority', 'enum', 'priority is 1 to 4');
  }

  changePriority(now: number, change: PriorityChangedInput): boolean {
    if (this.resolved || !change || ![1, 2, 3, 4].includes(change.priority)) return false;
    if (change.priority === this.status.priority) return false;
    const from = this.status.priority;
    this.status.priority = change.priority;
    this.note(now, 'priority.changed', { from, to: change.priority }, change.actor);
    return true;
  }

  /** Sev 1 on SPE/SP1 (pinned.criticalOpen): due at entry, or when a reclassification makes it critical. */
  criticalOpenDue(): StepToFire | undefined {
    const { pinned } = this.input;
    if (this.resolved || this.fired.has(CRITICAL_OPEN_STEP_ID)) return undefined;
    if (!pinned.criticalOpen[severityKey(this.status.severity)]) return undefined;
    return { id: CRITICAL_OPEN_STEP_ID, ...pinned.criticalOpenStep };
  }

  /** Marks a step fired (its instant `atMs`, fired `now`): the record its delivery then completes. */
  fireStep(now: number, step: StepToFire, atMs: number): FiredStep {
    this.fired.add(step.id);
    const generation = this.currentClock?.generation ?? 0;
    const webhookId = `${this.input.intake.incidentId}.${generation}.${step.id}`;
    const record: FiredStep = {
      id: step.id,
      event: step.event,
      at: iso(atMs),
      firedAt: iso(now),
      webhookId,
      delivery: 'in-flight',
    };
    this.status.ladder.fired.push(record);
    this.note(now, 'step.fired', { step: step.id, event: step.event, at: record.at, webhookId });
    this.metrics.stepFired(this.metricTags(), step.id, step.event, now - atMs);
    return record;
  }

  /** A fired step's notification reached its recipients; `unreached` (roles no channel reaches) is noted if any. */
  stepDelivered(now: number, step: FiredStep, report: DeliveryReport, unreached?: DeliveryReport['unreached']): void {
    step.report = report;
    step.delivery = 'delivered';
    this.note(now, 'step.delivered', {
      step: step.id,
      webhookId: step.webhookId,
      delivered: report.delivered,
      recipients: report.recipients.length,
      ...(unreached?.length ? { unreached } : {}),
    });
  }

  /** No channel reaches any recipient: the step is `undeliverable` (never `delivered`) and counted as failed. */
  stepUndeliverable(now: number, step: FiredStep, report: DeliveryReport, reason: string): void {
    step.report = report;
    step.delivery = 'undeliverable';
    step.error = reason;
    this.note(now, 'step.undeliverable', { step: step.id, event: step.event, webhookId: step.webhookId, reason });
    this.metrics.deliveryFailed(step.event);
  }

  /** Every attempt of the delivery failed; `failedSubscribers`: the webhook subscribers it never reached. */
  stepFailed(now: number, step: FiredStep, error: string, failedSubscribers: string[]): void {
    const { id: stepId, event, webhookId } = step;
    step.delivery = 'failed';
    step.error = error;
    this.status.deliveryFailures.push({ at: iso(now), stepId, event, webhookId, error, failedSubscribers });
    this.note(now, 'step.delivery_failed', { step: stepId, event, webhookId, error });
    this.metrics.deliveryFailed(event);
  }

  /** Woken at (or, after an outage, later than) the due instant with no IHR: the breach fires now. */
  breachIfDue(now: number): boolean {
    const dueMs = Date.parse(this.requireClock().dueAt);
    if (!this.awaitingIhr() || now < dueMs) return false;
    this.markBreached(now, Math.max(dueMs, now));
    return true;
  }

  /** The steps not fired whose instant came (at or before now), in the order of their instants. */
  stepsDue(now: number): TimedStep[] {
    return this.stepsToCome().filter(({ atMs }) => atMs <= now);
  }

  /** The next instant to wake at: the first step instant still to come, or the IHR due instant if earlier. */
  nextWakeUp(now: number): WakeUp | undefined {
    const clock = this.requireClock();
    const upcoming = this.stepsToCome().find(({ atMs }) => atMs > now);
    const dueMs = Date.parse(clock.dueAt);
    if (this.awaitingIhr() && (!upcoming || dueMs < upcoming.atMs)) {
      return { ms: dueMs, label: dueInstantLabel(clock), event: 'IHR due' };
    }
    if (!upcoming) return undefined;
    const { step, atMs } = upcoming;
    return { ms: atMs, label: step.atLabel ?? iso(atMs), event: step.event };
  }

  /** The ladder's first step still to fire, for "what comes next" in notifications. */
  nextStep(): NextStep {
    const byInstant = (a: PendingStep, b: PendingStep) =>
      a.at && b.at ? Date.parse(a.at) - Date.parse(b.at) : a.at ? -1 : b.at ? 1 : 0;
    const [next] = this.pendingSteps().sort(byInstant);
    if (!next) return null;
    return {
      event: next.event,
      ...(next.at ? { at: next.at } : {}),
      ...(next.afterBreachMs !== undefined ? { afterBreachMs: next.afterBreachMs } : {}),
    };
  }

  /** What the workflow is doing, for its current details in the UI (`next`: what it waits for). */
  stage(next: Pick<WakeUp, 'label' | 'event'> | undefined): string {
    const due = this.currentClock ? dueInstantLabel(this.currentClock) : '?';
    const then = next ? `; next: ${next.event} at ${next.label}` : '';
    if (this.resolved) return `resolved (${this.status.state}); finishing notifications`;
    if (this.status.state === 'pending') return `waiting for IHR, due ${due}${then}`;
    if (this.status.state === 'breached' && this.status.outcome === null) {
      return `IHR breached (was due ${due}); waiting for a response${then}`;
    }
    return `IHR ${this.status.state}; waiting for resolution`;
  }

  /** The status the query answers (and the memo holds): pending steps as of now. */
  snapshot(): IncidentStatus {
    return { ...this.status, ladder: { fired: this.status.ladder.fired, pending: this.pendingSteps() } };
  }

  /**
   * The status with only the last `entries` timeline entries (and the total): what the memo carries, so
   * each upsert has a bounded size whatever the number of changes (patch `bounded-history`).
   */
  boundedSnapshot(entries = MEMO_TIMELINE_ENTRIES): IncidentStatus {
    const { timeline } = this.status;
    const total = timeline.length;
    return {
      ...this.snapshot(),
      timeline: timeline.slice(Math.max(0, total - entries)),
      timelineTotal: total,
      timelineTruncated: total > entries,
    };
  }

  /** A page of the full timeline, oldest first; the token is the offset where the page ends. */
  timelinePage(request: TimelinePageRequest = {}): TimelinePage {
    const { timeline } = this.status;
    const size = Math.min(Math.max(1, Math.floor(request.pageSize ?? TIMELINE_PAGE_DEFAULT)), TIMELINE_PAGE_MAX);
    const from = request.pageToken ? Number.parseInt(request.pageToken, 10) : 0;
    const start = Number.isSafeInteger(from) && from > 0 ? Math.min(from, timeline.length) : 0;
    const end = Math.min(start + size, timeline.length);
    return {
      entries: timeline.slice(start, end),
      total: timeline.length,
      ...(end < timeline.length ? { nextPageToken: String(end) } : {}),
    };
  }

  /** The state the next run starts from when this one continues as new (`runs`: runs so far, this one included). */
  carry(runs: number): IncidentCarried {
    return {
      status: { ...this.status, ladder: { fired: this.status.ladder.fired, pending: [] } },
      ...(this.breachedAtMs !== undefined ? { breachedAtMs: this.breachedAtMs } : {}),
      resolved: this.resolved,
      requestedSeverity: this.requestedSeverity,
      fired: [...this.fired],
      runs,
      ...(this.lateResponseCount > 0
        ? { lateResponses: [...this.lateResponses], lateResponseCount: this.lateResponseCount }
        : {}),
    };
  }

  /** Takes over the state a previous run carried (instead of `open` and the first clock). */
  restore(carried: IncidentCarried): void {
    Object.assign(this.status, carried.status);
    this.currentClock = carried.status.ihr ?? undefined;
    this.breachedAtMs = carried.breachedAtMs;
    this.resolved = carried.resolved;
    this.requestedSeverity = carried.requestedSeverity;
    for (const id of carried.fired) this.fired.add(id);
    this.lateResponses.push(...(carried.lateResponses ?? []));
    this.lateResponseCount = carried.lateResponseCount ?? 0;
  }

  /** What lists and search attributes show of the incident. */
  visibleState(): IncidentVisibleState {
    const { intake, pinned } = this.input;
    return {
      summary: intake.summary,
      enteredAt: intake.enteredAt,
      planId: pinned.planId,
      supportCenter: pinned.supportCenter,
      state: this.status.state,
      severity: this.status.severity,
      priority: this.status.priority,
      dueAt: this.currentClock?.dueAt,
      dueLabel: this.currentClock?.dueLabel,
      ...(this.lateResponseCount > 0
        ? { lateResponses: [...this.lateResponses], lateResponseCount: this.lateResponseCount }
        : {}),
    };
  }

  private requireClock(): IhrClock {
    if (!this.currentClock) throw new Error(`incident ${this.status.incidentId}: no IHR clock applied yet`);
    return this.currentClock;
  }

  private awaitingIhr(): boolean {
    return this.status.state === 'pending' && this.status.outcome === null;
  }

  private ladderActive(): boolean {
    return !this.resolved && this.status.outcome === null;
  }

  /** Instant of a planned step; after-breach steps have none until the breach fired. */
  private instantOf(step: PlannedStep): number | undefined {
    if (step.at !== undefined) return Date.parse(step.at);
    if (step.afterBreachMs !== undefined && this.breachedAtMs !== undefined)
      return this.breachedAtMs + step.afterBreachMs;
    return undefined;
  }

  /** Steps not fired that have an instant, by instant (ties in ladder order); none once the ladder stopped. */
  private stepsToCome(): TimedStep[] {
    if (!this.currentClock || !this.ladderActive()) return [];
    return this.currentClock.steps
      .map((step) => ({ step, atMs: this.instantOf(step) }))
      .filter((timed): timed is TimedStep => !this.fired.has(timed.step.id) && timed.atMs !== undefined)
      .sort((a, b) => a.atMs - b.atMs);
  }

  private pendingSteps(): PendingStep[] {
    if (!this.currentClock || !this.ladderActive()) return [];
    return this.currentClock.steps
      .filter((step) => !this.fired.has(step.id))
      .map((step) => {
        const at = this.instantOf(step);
        return {
          id: step.id,
          event: step.event,
          ...(at !== undefined ? { at: iso(at) } : {}),
          ...(step.afterBreachMs !== undefined ? { afterBreachMs: step.afterBreachMs } : {}),
        };
      });
  }

  /** The breach established `now`, fired for the instant `atMs`. */
  private markBreached(now: number, atMs: number): void {
    this.breachedAtMs = atMs;
    this.status.state = 'breached';
    this.status.breachedAt = iso(atMs);
    this.metrics.outcome(this.metricTags(), 'breached');
    this.note(now, 'ihr.breached', { dueAt: this.currentClock?.dueAt, breachedAt: this.status.breachedAt });
  }

  private metricTags(): MetricTags {
    return { plan: this.input.pinned.planId, severity: this.status.severity };
  }

  private note(now: number, type: TimelineEvent['type'], details: Record<string, unknown>, actor?: string): void {
    this.status.timeline.push({ at: iso(now), type, ...(actor ? { actor } : {}), details });
  }
}
