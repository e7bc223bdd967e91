// The notifications of fired steps: local first, durable fallback (docs/escalation.md, Deliveries).
import {
  ActivityFailure,
  ApplicationFailure,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
} from '@temporalio/workflow';
import type { ActivityInterfaceFor, ActivityOptions, LocalActivityInterfaceFor } from '@temporalio/workflow';
import type { NotificationActivities, NotifyInput } from '../../activities/notification.activities';
import type { DeliveryReport, FiredStep, IncidentWorkflowInput } from '../../libs/contracts/src/incident';
import { DELIVERY_TIMEOUT_MS } from '../../libs/contracts/src/delivery';
import { deliveryRetryPolicy, resolveNotificationRetry, ResolvedNotificationRetry } from '../common/retry-policy';
import type { IncidentCase, StepToFire } from './incident-case';
import type { LocalActivityCounter } from './publisher';

/**
 * Patch id of "local first, durable fallback" deliveries: incidents whose history started a step's
 * notification as a regular activity replay that way; new steps take the local first attempt.
 */
export const NOTIFY_LOCAL_FIRST_PATCH = 'notify-local-first';
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

/** Options of the regular (durable) notify activity, the first attempt before NOTIFY_LOCAL_FIRST_PATCH. */
const DURABLE_NOTIFY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2m',
  // The activity heartbeats after every subscriber (each attempt is bounded by DELIVERY_TIMEOUT_MS),
  // so a delivery cut short by a dying worker is retried within seconds, not after two minutes.
  heartbeatTimeout: '30s',
};

/** The failure an activity ended with, and the first detail of an ApplicationFailure (what the activity reported). */
function failureOf<Details>(error: unknown): { cause: unknown; details: Details | undefined } {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  const details = cause instanceof ApplicationFailure ? (cause.details?.[0] as Details | undefined) : undefined;
  return { cause, details };
}

/** Starts and records the notification of each fired step; a slow or failing delivery never blocks the ladder. */
export class StepDeliveries {
  /** Decided once, at the start of the run: a run that began without the patch keeps delivering as it did. */
  private readonly toPeople: boolean;
  private readonly retry: ResolvedNotificationRetry;
  private readonly fallbackAttempts: number;
  /** Regular activity: how steps fired before NOTIFY_LOCAL_FIRST_PATCH were delivered (kept for replay). */
  private readonly notifications: ActivityInterfaceFor<NotificationActivities>;
  private readonly localNotifications: LocalActivityInterfaceFor<NotificationActivities>;
  private readonly fallbackNotifications: ActivityInterfaceFor<NotificationActivities>;
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly incident: IncidentCase,
    private readonly input: IncidentWorkflowInput,
    private readonly countLocal: LocalActivityCounter,
  ) {
    this.toPeople = patched(NOTIFY_CHANNELS_PATCH);
    this.retry = resolveNotificationRetry(input.notificationRetry);
    const { retry } = this;
    this.notifications = proxyActivities<NotificationActivities>({
      ...DURABLE_NOTIFY_OPTIONS,
      retry: deliveryRetryPolicy(retry),
    });
    // Local first, durable fallback: one attempt as a local activity (a marker in history, no activity
    // events and no extra workflow task); if it fails, the regular activity takes the rest of the
    // policy's budget: the attempts left, continuing the backoff where the first attempt left it.
    this.localNotifications = proxyLocalActivities<NotificationActivities>({
      startToCloseTimeout: LOCAL_NOTIFY_TIMEOUT_MS,
      retry: { maximumAttempts: 1 },
    });
    this.fallbackAttempts = (retry.maximumAttempts ?? Number.POSITIVE_INFINITY) - 1;
    const fallbackInitialMs = Math.min(
      retry.initialIntervalMs * retry.backoffCoefficient,
      retry.maximumIntervalMs ?? Number.POSITIVE_INFINITY,
    );
    this.fallbackNotifications = proxyActivities<NotificationActivities>({
      ...DURABLE_NOTIFY_OPTIONS,
      retry: deliveryRetryPolicy({ ...retry, maximumAttempts: this.fallbackAttempts }, fallbackInitialMs),
    });
  }

  /** Fires the step (its instant `atMs`) and starts its notification (not awaited). */
  /** The critical-open notification, when the case says it is due (at entry, or on a reclassification to it). */
  fireCriticalOpenIfDue(atMs: number): void {
    const step = this.incident.criticalOpenDue();
    if (step) this.fire(step, atMs);
  }

  fire(step: StepToFire, atMs: number): void {
    const record = this.incident.fireStep(Date.now(), step, atMs);
    const notifyInput = this.notifyInput(step, record);
    const summary = `${step.event} → ${step.notify.join(', ')}`;
    const localFirst = patched(NOTIFY_LOCAL_FIRST_PATCH);
    const delivery = (async () => {
      try {
        const report = localFirst
          ? await this.deliverLocalFirst(notifyInput, summary)
          : await this.notifications.notify.executeWithOptions({ summary }, [notifyInput]);
        this.recordReport(record, report);
      } catch (error) {
        const { cause, details } = failureOf<{ failed?: string[] }>(error);
        const message = cause instanceof Error ? cause.message : String(cause);
        this.incident.stepFailed(Date.now(), record, message, details?.failed ?? []);
      }
    })();
    this.inflight.add(delivery);
    void delivery.then(() => this.inflight.delete(delivery));
  }

  /** Resolves once every notification started so far has ended (delivered or failed for good). */
  settled(): Promise<unknown> {
    return Promise.all([...this.inflight]);
  }

  private notifyInput(step: StepToFire, record: FiredStep): NotifyInput {
    const { intake, pinned } = this.input;
    const clock = this.incident.clock;
    return {
      event: step.event,
      webhookId: record.webhookId,
      stepId: step.id,
      stepAt: record.at,
      occurredAt: record.firedAt,
      roles: step.notify,
      incident: {
        incidentId: intake.incidentId,
        accountId: intake.accountId,
        planId: pinned.planId,
        severity: this.incident.severity,
        priority: this.incident.priority,
        supportCenter: pinned.supportCenter,
        summary: intake.summary,
        dueAt: clock?.dueAt ?? null,
      },
      ...(this.toPeople ? { explanation: clock?.explanation.summary, next: this.incident.nextStep() } : {}),
    };
  }

  private recordReport(record: FiredStep, report: DeliveryReport): void {
    if (this.toPeople && report.undeliverable !== undefined) {
      this.incident.stepUndeliverable(Date.now(), record, report, report.undeliverable);
    } else {
      this.incident.stepDelivered(Date.now(), record, report, this.toPeople ? report.unreached : undefined);
    }
  }

  /**
   * A step's notification, local first: the local attempt reaches every subscriber it can within
   * LOCAL_NOTIFY_BUDGET_MS; on failure (after the policy's first interval) the regular activity
   * delivers to the subscribers it did not reach (its failure details name those it did), with the
   * attempts left. Every attempt carries the same webhook-id.
   */
  private async deliverLocalFirst(notifyInput: NotifyInput, summary: string): Promise<DeliveryReport> {
    try {
      const localInput = { ...notifyInput, budgetMs: LOCAL_NOTIFY_BUDGET_MS };
      return await this.countLocal(this.localNotifications.notify.executeWithOptions({ summary }, [localInput]));
    } catch (error) {
      if (!(this.fallbackAttempts >= 1)) throw error;
      // A WebhookDeliveryFailed names the subscribers reached (and was raised after the log line);
      // without it (a timeout, a failed role lookup) the fallback delivers to all and logs.
      const { details } = failureOf<{ delivered?: string[] }>(error);
      const reached = Array.isArray(details?.delivered) ? details.delivered : undefined;
      await sleep(this.retry.initialIntervalMs, { summary: `retry ${notifyInput.event} (${notifyInput.webhookId})` });
      const resume = { logged: reached !== undefined, delivered: reached ?? [], priorAttempts: 1 };
      return await this.fallbackNotifications.notify.executeWithOptions({ summary: `${summary} (retry)` }, [
        { ...notifyInput, resume },
      ]);
    }
  }
}
