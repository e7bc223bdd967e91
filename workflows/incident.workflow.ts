// Deterministic workflow code only: no I/O, no calendar math (activities plan the clock).
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { ClockActivities } from '../activities/clock.activities';
import type { NotificationActivities, NotifyInput } from '../activities/notification.activities';
import {
  DeliveryReport,
  FiredStep,
  IhrClock,
  IncidentStatus,
  IncidentWorkflowInput,
  incidentStatusQuery,
  PendingStep,
  priorityChangedSignal,
  reclassifyUpdate,
  recordResponseUpdate,
  resolveUpdate,
  Role,
  RESPONSE_KINDS,
  Severity,
  severityKey,
  TimelineEvent,
} from '../libs/contracts/src/incident';
import { incidentPublication, publicationAtIntake } from '../libs/contracts/src/incident-publication';
import { rejection } from '../libs/contracts/src/rejection';
import { DELIVERY_TIMEOUT_MS } from '../libs/contracts/src/delivery';
import { incidentMetrics } from './incident-metrics';

/** Delivery retry policy unless the input overrides it (docs/escalation.md). */
export const DEFAULT_NOTIFICATION_RETRY = {
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 60_000,
  maximumAttempts: 8,
} as const;

export const CRITICAL_OPEN_STEP_ID = 'critical_open';

/**
 * Patch id of "local first, durable fallback" deliveries: incidents whose history started a step's
 * notification as a regular activity replay that way; new steps take the local first attempt.
 */
export const NOTIFY_LOCAL_FIRST_PATCH = 'notify-local-first';
/**
 * Patch id of the status kept in the memo: incidents started since upsert their whole status (what
 * the query answers) whenever a workflow task changed it, so `GET /v1/incidents/:id` answers from
 * describe() without a worker. Incidents started before replay as they ran and are read by query.
 */
export const STATUS_IN_MEMO_PATCH = 'status-in-memo';
/**
 * Patch id of deliveries to people (email, chat): incidents started since send the clock's
 * explanation and the next step with each notification, and record a step no channel reaches as
 * `undeliverable` (never `delivered`). Incidents started before replay as they ran.
 */
export const NOTIFY_CHANNELS_PATCH = 'notify-channels';
/**
 * Time the local first attempt may spend on all of an event's subscribers: one DELIVERY_TIMEOUT_MS.
 * Each POST gets what is left, subscribers not reached in time go to the durable fallback.
 */
export const LOCAL_NOTIFY_BUDGET_MS = DELIVERY_TIMEOUT_MS;
/** Start-to-close of the local first attempt: the budget plus room for role lookup, log line and signing. */
export const LOCAL_NOTIFY_TIMEOUT_MS = LOCAL_NOTIFY_BUDGET_MS + 2_000;

interface StepToFire {
  id: string;
  event: string;
  notify: Role[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const isSeverity = (v: unknown): v is Severity => v === 1 || v === 2 || v === 3 || v === 4;
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/**
 * One workflow per incident (`incident/<incidentId>`): takes the IHR clock the API planned at intake (or
 * plans it in a local activity), fires the escalation ladder at its instants (one notification per
 * event: a local first attempt, a regular activity as fallback), records responses,
 * reclassifications and priority changes, and completes when the incident is resolved.
 */
export async function incidentWorkflow(input: IncidentWorkflowInput): Promise<IncidentStatus> {
  const { intake, pinned } = input;
  // Decided once, at the start of the run: a run that began without the patch keeps publishing as it did.
  const statusInMemo = patched(STATUS_IN_MEMO_PATCH);
  const toPeople = patched(NOTIFY_CHANNELS_PATCH);
  const retry = { ...DEFAULT_NOTIFICATION_RETRY, ...input.notificationRetry };
  // Clock planning is pure CPU over the pinned calendar: a local activity keeps history small
  // (one marker, no extra workflow task) and still records the instants in history.
  const clockActivities = proxyLocalActivities<ClockActivities>({
    startToCloseTimeout: '30s',
    retry: { maximumAttempts: 10 },
  });
  // Regular activity: how steps fired before NOTIFY_LOCAL_FIRST_PATCH were delivered (kept for replay).
  const notifications = proxyActivities<NotificationActivities>({
    startToCloseTimeout: '2m',
    // The activity heartbeats after every subscriber (each attempt is bounded by DELIVERY_TIMEOUT_MS),
    // so a delivery cut short by a dying worker is retried within seconds, not after two minutes.
    heartbeatTimeout: '30s',
    retry: {
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      maximumAttempts: retry.maximumAttempts,
    },
  });
  // Local first, durable fallback: one attempt as a local activity (a marker in history, no activity
  // events and no extra workflow task); if it fails, the regular activity takes the rest of the
  // policy's budget: the attempts left, continuing the backoff where the first attempt left it.
  const localNotifications = proxyLocalActivities<NotificationActivities>({
    startToCloseTimeout: LOCAL_NOTIFY_TIMEOUT_MS,
    retry: { maximumAttempts: 1 },
  });
  const totalAttempts = retry.maximumAttempts ?? Number.POSITIVE_INFINITY;
  const fallbackAttempts = totalAttempts - 1;
  const fallbackInitialMs = Math.min(retry.initialIntervalMs * retry.backoffCoefficient, retry.maximumIntervalMs ?? Number.POSITIVE_INFINITY);
  const fallbackNotifications = proxyActivities<NotificationActivities>({
    startToCloseTimeout: '2m',
    heartbeatTimeout: '30s',
    retry: {
      initialInterval: fallbackInitialMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      maximumAttempts: fallbackAttempts,
    },
  });

  const enteredMs = Date.parse(intake.enteredAt);
  const status: IncidentStatus = {
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
  let clock: IhrClock | undefined;
  /** The breach instant actually fired: max(dueAt, the moment the breach was established). */
  let breachedAtMs: number | undefined;
  let resolved = false;
  /** Set by handlers when the main loop must re-plan its next wake-up. */
  let wake = false;
  /** Severity the last accepted reclassification asked for (validators compare with it). */
  let requestedSeverity: Severity = intake.severity;
  const fired = new Set<string>();
  const inflight = new Set<Promise<void>>();
  let lastPublished = '';
  /** The status JSON last upserted into the memo (always '' without STATUS_IN_MEMO_PATCH). */
  let lastStatus = '';
  // Updates that plan or measure run one at a time, in arrival order.
  let lock: Promise<unknown> = Promise.resolve();
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lock.then(fn);
    lock = run.catch(() => undefined);
    return run;
  };

  const metricTags = () => ({ plan: pinned.planId, severity: status.severity });
  const note = (type: TimelineEvent['type'], details: Record<string, unknown>, actor?: string) => {
    status.timeline.push({ at: iso(Date.now()), type, ...(actor ? { actor } : {}), details });
  };

  const published = () =>
    incidentPublication({
      summary: intake.summary,
      enteredAt: intake.enteredAt,
      planId: pinned.planId,
      supportCenter: pinned.supportCenter,
      state: status.state,
      severity: status.severity,
      priority: status.priority,
      dueAt: clock?.dueAt,
      dueLabel: clock?.dueLabel,
    });
  /** Search attributes and memo, only what changed (each upsert is a history event). */
  const publishNow = () => {
    const next = published();
    const statusJson = statusInMemo ? JSON.stringify(snapshot()) : lastStatus;
    const smallChanged = next.key !== lastPublished;
    const statusChanged = statusJson !== lastStatus;
    if (!smallChanged && !statusChanged) return;
    if (smallChanged) upsertSearchAttributes(next.attributes);
    // upsertMemo merges: the API's intakeHash (and whichever part did not change) stays as it was.
    // The status goes as a parsed copy: the live object keeps changing after this command.
    upsertMemo({ ...(smallChanged ? next.memo : {}), ...(statusChanged ? { status: JSON.parse(statusJson) as IncidentStatus } : {}) });
    lastPublished = next.key;
    lastStatus = statusJson;
  };
  /** Where a change of the small memo is made; with STATUS_IN_MEMO_PATCH the publisher below does it. */
  const publish = () => {
    if (!statusInMemo) publishNow();
  };
  /** Local activities running (clock planning, measuring, a delivery's first attempt): see the publisher. */
  let localRunning = 0;
  /** Counts a local activity while it runs; hands back the same promise (no extra await to reorder replays). */
  const counted = <T>(run: Promise<T>): Promise<T> => {
    localRunning++;
    run.then(
      () => localRunning--,
      () => localRunning--,
    );
    return run;
  };

  const ladderActive = () => !resolved && status.outcome === null;

  /** Instant of a planned step; after-breach steps have none until the breach fired. */
  const instantOf = (step: IhrClock['steps'][number]): number | undefined => {
    if (step.at !== undefined) return Date.parse(step.at);
    if (step.afterBreachMs !== undefined && breachedAtMs !== undefined) return breachedAtMs + step.afterBreachMs;
    return undefined;
  };

  const pendingSteps = (): PendingStep[] => {
    if (!clock || !ladderActive()) return [];
    return clock.steps
      .filter((step) => !fired.has(step.id))
      .map((step) => {
        const at = instantOf(step);
        return {
          id: step.id,
          event: step.event,
          ...(at !== undefined ? { at: iso(at) } : {}),
          ...(step.afterBreachMs !== undefined ? { afterBreachMs: step.afterBreachMs } : {}),
        };
      });
  };

  /** The ladder's first step still to fire, for "what comes next" in notifications (null: none). */
  const nextStep = (): NotifyInput['next'] => {
    const [next] = pendingSteps().sort((a, b) => (a.at && b.at ? Date.parse(a.at) - Date.parse(b.at) : a.at ? -1 : b.at ? 1 : 0));
    return next ? { event: next.event, ...(next.at ? { at: next.at } : {}), ...(next.afterBreachMs !== undefined ? { afterBreachMs: next.afterBreachMs } : {}) } : null;
  };

  const snapshot = (): IncidentStatus => ({ ...status, ladder: { fired: status.ladder.fired, pending: pendingSteps() } });

  const markBreached = (atMs: number) => {
    breachedAtMs = atMs;
    status.state = 'breached';
    status.breachedAt = iso(atMs);
    incidentMetrics.outcome(metricTags(), 'breached');
    note('ihr.breached', { dueAt: clock?.dueAt, breachedAt: status.breachedAt });
  };

  /**
   * A step's notification, local first: the local attempt reaches every subscriber it can within
   * LOCAL_NOTIFY_BUDGET_MS; on failure (after the policy's first interval) the regular activity
   * delivers to the subscribers it did not reach (its failure details name those it did), with the
   * attempts left. Every attempt carries the same webhook-id.
   */
  const deliverLocalFirst = async (notifyInput: NotifyInput, summary: string): Promise<DeliveryReport> => {
    try {
      return await counted(localNotifications.notify.executeWithOptions({ summary }, [{ ...notifyInput, budgetMs: LOCAL_NOTIFY_BUDGET_MS }]));
    } catch (error) {
      if (!(fallbackAttempts >= 1)) throw error;
      const cause = error instanceof ActivityFailure ? error.cause : error;
      // A WebhookDeliveryFailed names the subscribers reached (and was raised after the log line);
      // without it (a timeout, a failed role lookup) the fallback delivers to all and logs.
      const details = cause instanceof ApplicationFailure ? (cause.details?.[0] as { delivered?: string[] } | undefined) : undefined;
      const reached = Array.isArray(details?.delivered) ? details.delivered : undefined;
      await sleep(retry.initialIntervalMs, { summary: `retry ${notifyInput.event} (${notifyInput.webhookId})` });
      return await fallbackNotifications.notify.executeWithOptions({ summary: `${summary} (retry)` }, [
        { ...notifyInput, resume: { logged: reached !== undefined, delivered: reached ?? [], priorAttempts: 1 } },
      ]);
    }
  };

  /** Starts the step's notification (not awaited: a slow or failing delivery never blocks the ladder). */
  const fire = (step: StepToFire, atMs: number) => {
    fired.add(step.id);
    const nowMs = Date.now();
    const generation = clock?.generation ?? 0;
    const webhookId = `${intake.incidentId}.${generation}.${step.id}`;
    const record: FiredStep = { id: step.id, event: step.event, at: iso(atMs), firedAt: iso(nowMs), webhookId, delivery: 'in-flight' };
    status.ladder.fired.push(record);
    note('step.fired', { step: step.id, event: step.event, at: record.at, webhookId });
    incidentMetrics.stepFired(metricTags(), step.id, step.event, nowMs - atMs);
    const notifyInput: NotifyInput = {
      event: step.event,
      webhookId,
      stepId: step.id,
      stepAt: record.at,
      occurredAt: record.firedAt,
      roles: step.notify,
      incident: {
        incidentId: intake.incidentId,
        accountId: intake.accountId,
        planId: pinned.planId,
        severity: status.severity,
        priority: status.priority,
        supportCenter: pinned.supportCenter,
        summary: intake.summary,
        dueAt: clock?.dueAt ?? null,
      },
      ...(toPeople ? { explanation: clock?.explanation.summary, next: nextStep() } : {}),
    };
    const summary = `${step.event} → ${step.notify.join(', ')}`;
    const localFirst = patched(NOTIFY_LOCAL_FIRST_PATCH);
    const delivery = (async () => {
      try {
        const report = localFirst
          ? await deliverLocalFirst(notifyInput, summary)
          : await notifications.notify.executeWithOptions({ summary }, [notifyInput]);
        record.report = report;
        if (toPeople && report.undeliverable !== undefined) {
          record.delivery = 'undeliverable';
          record.error = report.undeliverable;
          note('step.undeliverable', { step: step.id, event: step.event, webhookId, reason: report.undeliverable });
          incidentMetrics.deliveryFailed(step.event);
        } else {
          record.delivery = 'delivered';
          note('step.delivered', {
            step: step.id,
            webhookId,
            delivered: report.delivered,
            recipients: report.recipients.length,
            ...(toPeople && report.unreached?.length ? { unreached: report.unreached } : {}),
          });
        }
      } catch (error) {
        const cause = error instanceof ActivityFailure ? error.cause : error;
        const message = cause instanceof Error ? cause.message : String(cause);
        const details = cause instanceof ApplicationFailure ? (cause.details?.[0] as { failed?: string[] } | undefined) : undefined;
        record.delivery = 'failed';
        record.error = message;
        status.deliveryFailures.push({
          at: iso(Date.now()),
          stepId: step.id,
          event: step.event,
          webhookId,
          error: message,
          failedSubscribers: details?.failed ?? [],
        });
        note('step.delivery_failed', { step: step.id, event: step.event, webhookId, error: message });
        incidentMetrics.deliveryFailed(step.event);
      }
    })();
    inflight.add(delivery);
    void delivery.then(() => inflight.delete(delivery));
  };

  /** Sev 1 on SPE/SP1 (pinned.criticalOpen): at entry, or when a reclassification makes it critical. */
  const fireCriticalOpenIfDue = (atMs: number) => {
    if (resolved || fired.has(CRITICAL_OPEN_STEP_ID) || !pinned.criticalOpen[severityKey(status.severity)]) return;
    fire({ id: CRITICAL_OPEN_STEP_ID, ...pinned.criticalOpenStep }, atMs);
  };

  const planClock = (severity: Severity, generation: number) =>
    counted(
      clockActivities.planIhrClock.executeWithOptions(
        { summary: `plan IHR clock: ${pinned.planId} Sev ${severity} (${pinned.coverage[severityKey(severity)]}, ${pinned.supportCenter})` },
        [{ pinned, severity, enteredAt: intake.enteredAt, generation }],
      ),
    );

  /** Takes a (re)planned clock: a due instant already passed with no IHR is a breach at once (rule 5). */
  const applyClock = (next: IhrClock) => {
    clock = next;
    status.ihr = next;
    status.severity = next.severity;
    if (status.outcome === null && !resolved) {
      const dueMs = Date.parse(next.dueAt);
      if (dueMs <= Date.now()) {
        if (status.state !== 'breached') markBreached(Date.now());
      } else if (status.state === 'breached') {
        // Retargeted to a later due instant before any response: the IHR is pending again.
        status.state = 'pending';
        status.breachedAt = null;
        breachedAtMs = undefined;
      }
    }
    note('clock.planned', { generation: next.generation, severity: next.severity, coverage: next.coverage, targetMs: next.targetMs, dueAt: next.dueAt });
    publish();
  };

  const stage = (next: { label: string; event: string } | undefined): string => {
    const due = clock ? clock.dueLabel.replace(/^IHR due /, '') : '?';
    const then = next ? `; next: ${next.event} at ${next.label}` : '';
    if (resolved) return `resolved (${status.state}); finishing notifications`;
    if (status.state === 'pending') return `waiting for IHR, due ${due}${then}`;
    if (status.state === 'breached' && status.outcome === null) return `IHR breached (was due ${due}); waiting for a response${then}`;
    return `IHR ${status.state}; waiting for resolution`;
  };

  // ---- handlers (registered before the first await so early updates and queries find them)
  setHandler(incidentStatusQuery, snapshot);

  setHandler(
    recordResponseUpdate,
    (response) =>
      serialized(async () => {
        await condition(() => clock !== undefined);
        const current = clock!;
        const respondedMs = response.respondedAt !== undefined ? Date.parse(response.respondedAt) : Date.now();
        const respondedAt = iso(respondedMs);
        const isIhr = status.outcome === null;
        status.responses.push({ kind: response.kind, responder: response.responder, respondedAt, ihr: isIhr });
        note('response.recorded', { kind: response.kind, respondedAt, ihr: isIhr }, response.responder);
        if (isIhr) {
          const dueMs = Date.parse(current.dueAt);
          const outcome = respondedMs <= dueMs ? 'met' : 'breached';
          status.outcome = { outcome, kind: response.kind, responder: response.responder, respondedAt, dueAt: current.dueAt };
          status.state = outcome;
          // Count the transition out of pending once (a breach fired by the timer was counted then).
          if (outcome === 'met' || status.breachedAt === null) incidentMetrics.outcome(metricTags(), outcome);
          if (outcome === 'met') {
            breachedAtMs = undefined;
            status.breachedAt = null;
          } else if (status.breachedAt === null) {
            breachedAtMs = dueMs;
            status.breachedAt = iso(dueMs);
          }
          wake = true;
          publish();
        }
        const ihr = status.outcome!;
        const businessTimeTakenMs = await counted(
          clockActivities.measureBusinessTime.executeWithOptions({ summary: `business time to ${isIhr ? 'IHR' : 'response'}` }, [
            { pinned, severity: status.severity, from: intake.enteredAt, to: respondedAt },
          ]),
        );
        if (isIhr) ihr.businessTimeTakenMs = businessTimeTakenMs;
        return { ihr: isIhr, outcome: ihr.outcome, respondedAt, dueAt: ihr.dueAt, businessTimeTakenMs };
      }),
    {
      validator: (response) => {
        if (resolved) throw rejection(409, 'incident', 'open', 'the incident is resolved: no more responses are recorded');
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
        if (response.respondedAt !== undefined) {
          const t = Date.parse(response.respondedAt);
          if (Number.isNaN(t)) throw rejection(422, 'respondedAt', 'format', 'respondedAt must be an ISO instant');
          if (t < enteredMs) {
            throw rejection(422, 'respondedAt', 'afterEntry', `respondedAt ${response.respondedAt} lies before the incident entered (${intake.enteredAt})`);
          }
          if (t > Date.now()) throw rejection(422, 'respondedAt', 'notInFuture', `respondedAt ${response.respondedAt} lies in the future`);
        }
      },
    },
  );

  setHandler(
    reclassifyUpdate,
    (change) => {
      // Validators must not change state (they do not run on replay): note the request here.
      requestedSeverity = change.severity;
      return serialized(async () => {
        await condition(() => clock !== undefined);
        const from = status.severity;
        const next = await planClock(change.severity, clock!.generation + 1);
        applyClock(next);
        note('severity.changed', { from, to: change.severity, reason: change.reason, dueAt: next.dueAt }, change.actor);
        fireCriticalOpenIfDue(Date.now());
        wake = true;
        return next;
      });
    },
    {
      validator: (change) => {
        if (resolved) throw rejection(409, 'incident', 'open', 'the incident is resolved: severity can no longer change');
        if (!change || !isSeverity(change.severity)) throw rejection(422, 'severity', 'range', 'severity must be 1, 2, 3 or 4');
        if (change.severity === requestedSeverity) throw rejection(409, 'severity', 'changed', `severity is already ${change.severity}`);
        if (!nonEmpty(change.reason)) throw rejection(422, 'reason', 'required', 'reason is required');
        if (!nonEmpty(change.actor)) throw rejection(422, 'actor', 'required', 'actor is required');
      },
    },
  );

  setHandler(
    resolveUpdate,
    (resolution) => {
      resolved = true;
      const at = iso(Date.now());
      if (status.state === 'pending') {
        status.state = 'resolved';
        incidentMetrics.outcome(metricTags(), 'resolved');
      }
      status.resolution = { at, summary: resolution.summary, actor: resolution.actor };
      note('resolved', { state: status.state, summary: resolution.summary }, resolution.actor);
      publish();
      return { state: status.state, resolvedAt: at };
    },
    {
      validator: (resolution) => {
        if (resolved) throw rejection(409, 'incident', 'open', 'the incident is already resolved');
        if (!resolution || !nonEmpty(resolution.summary)) throw rejection(422, 'summary', 'required', 'summary is required');
        if (!nonEmpty(resolution.actor)) throw rejection(422, 'actor', 'required', 'actor is required');
      },
    },
  );

  setHandler(priorityChangedSignal, (change) => {
    // Signals cannot be rejected: an invalid or late change is ignored (the API validates first).
    if (resolved || !change || ![1, 2, 3, 4].includes(change.priority) || change.priority === status.priority) return;
    const from = status.priority;
    status.priority = change.priority;
    note('priority.changed', { from, to: change.priority }, change.actor);
    publish();
  });

  if (statusInMemo) {
    // Conditions are checked once an activation's jobs ran, so a workflow task that changed the status
    // upserts it, whichever handler, timer or activity result made the change. A local activity's
    // result usually lands in the same workflow task, and each upsert is a history event: the status
    // waits for running local activities to end (a step's delivery shows once its first attempt ended)
    // unless what lists and search attributes show changed (state, due instant, severity, priority).
    const smallUnpublished = () => published().key !== lastPublished;
    const statusUnpublished = () => JSON.stringify(snapshot()) !== lastStatus;
    void (async () => {
      for (;;) {
        await condition(() => smallUnpublished() || (localRunning === 0 && statusUnpublished()));
        publishNow();
      }
    })();
  }

  // ---- the clock
  note('opened', { severity: intake.severity, priority: intake.priority, channel: intake.channel, planId: pinned.planId });
  let first = input.initialClock;
  if (first) {
    // The start request carried this clock's memo and search attributes.
    lastPublished = publicationAtIntake(input).key;
  } else {
    setCurrentDetails('planning the IHR clock');
    first = await planClock(intake.severity, 0);
  }
  applyClock(first);
  fireCriticalOpenIfDue(enteredMs);

  while (!resolved) {
    const now = Date.now();
    const current = clock!;
    const dueMs = Date.parse(current.dueAt);
    if (status.state === 'pending' && status.outcome === null && now >= dueMs) {
      // Woken at (or, after an outage, later than) the due instant: the breach fires now.
      markBreached(Math.max(dueMs, now));
      publish();
    }
    let next: { ms: number; label: string; event: string } | undefined;
    if (ladderActive()) {
      const due = current.steps
        .map((step) => ({ step, at: instantOf(step) }))
        .filter(({ step, at }) => !fired.has(step.id) && at !== undefined)
        .sort((a, b) => a.at! - b.at!);
      for (const { step, at } of due) {
        if (at! <= now) fire(step, at!);
        else if (!next) next = { ms: at!, label: step.atLabel ?? iso(at!), event: step.event };
      }
    }
    if (status.state === 'pending' && status.outcome === null && (!next || dueMs < next.ms)) {
      next = { ms: dueMs, label: current.dueLabel.replace(/^IHR due /, ''), event: 'IHR due' };
    }
    setCurrentDetails(stage(next));
    wake = false;
    if (next) {
      await condition(() => resolved || wake, next.ms - now, { summary: `${next.event} at ${next.label}` });
    } else {
      await condition(() => resolved || wake);
    }
  }

  setCurrentDetails(stage(undefined));
  await Promise.all([...inflight]);
  await condition(allHandlersFinished);
  // Before completing: nothing may follow the completion command.
  publishNow();
  return snapshot();
}
