import { Inject, Injectable, Optional } from '@nestjs/common';
import { DeliveryReport, Priority, Role, Severity } from '../libs/contracts/src/incident';
import { POLICY, Policy } from '../libs/policy/src';
import { TAM_DIRECTORY, TamDirectory } from './tam-directory';
import { deliverSignedEvent, DeliveryResume, NOTIFICATION_LOG_SINK, NotificationLogSink, stdoutSink } from './webhook-delivery';

export interface NotifyInput {
  event: string;
  /** Stable per fired step (`<incidentId>.<clock generation>.<stepId>`): receivers de-duplicate on it. */
  webhookId: string;
  stepId: string;
  /** Planned instant of the step. */
  stepAt: string;
  /** Workflow time the step fired; the payload's `timestamp` (same on every retry). */
  occurredAt: string;
  roles: Role[];
  incident: {
    incidentId: string;
    accountId: string;
    planId: string;
    severity: Severity;
    priority: Priority;
    supportCenter: string;
    summary: string;
    dueAt: string | null;
  };
  /**
   * Set on the durable fallback after the workflow's local first attempt failed: the log line that
   * attempt wrote is not written again, the subscribers it reached (`delivered`) are skipped, and
   * attempt numbers continue after `priorAttempts` (docs/escalation.md, Deliveries).
   */
  resume?: DeliveryResume;
  /** Time budget of this attempt for all subscribers (ms; the local first attempt): see `SignedEvent.budgetMs`. */
  budgetMs?: number;
}

export interface NotificationPayload {
  type: string;
  id: string;
  timestamp: string;
  data: NotifyInput['incident'] & { step: string; stepAt: string; recipients: Array<{ role: Role; address: string }> };
}

export { matchesEvent, NOTIFICATION_LOG_SINK } from './webhook-delivery';
export type { DeliveryResume, NotificationLogSink } from './webhook-delivery';

@Injectable()
export class NotificationActivities {
  private readonly sink: NotificationLogSink;

  constructor(
    @Inject(POLICY) private readonly policy: Policy,
    @Inject(TAM_DIRECTORY) private readonly tams: TamDirectory,
    @Optional() @Inject(NOTIFICATION_LOG_SINK) sink?: NotificationLogSink,
  ) {
    this.sink = sink ?? stdoutSink;
  }

  /** Roles to addresses at fire time: the current policy's center roles, `tam` from the directory. */
  async recipients(input: NotifyInput): Promise<{ resolved: Array<{ role: Role; address: string }>; unresolved: Role[] }> {
    const roles = this.policy.center(input.incident.supportCenter)?.roles ?? {};
    const resolved: Array<{ role: Role; address: string }> = [];
    const unresolved: Role[] = [];
    for (const role of input.roles) {
      const address = role === 'tam' ? await this.tams.tamFor(input.incident.accountId) : roles[role];
      if (address) resolved.push({ role, address });
      else unresolved.push(role);
    }
    return { resolved, unresolved };
  }

  /**
   * One fired escalation event: a structured log line (always), then a Standard Webhooks POST to
   * every subscriber of the event. Throws (retryable) while any subscriber fails; the activity retry
   * policy set by the workflow does the backoff.
   */
  async notify(input: NotifyInput): Promise<DeliveryReport> {
    const startedAt = Date.now();
    const { resolved, unresolved } = await this.recipients(input);
    const payload: NotificationPayload = {
      type: input.event,
      id: input.webhookId,
      timestamp: input.occurredAt,
      data: { ...input.incident, step: input.stepId, stepAt: input.stepAt, recipients: resolved },
    };
    const { delivered, attempt } = await deliverSignedEvent(this.policy, this.sink, {
      event: input.event,
      webhookId: input.webhookId,
      payload: { ...payload },
      logMessage: 'sla notification',
      logFields: { unresolvedRoles: unresolved },
      resume: input.resume,
      // The budget counts from the start of the call (role lookups included).
      budgetMs: input.budgetMs !== undefined ? Math.max(0, input.budgetMs - (Date.now() - startedAt)) : undefined,
    });
    return { webhookId: input.webhookId, recipients: resolved, delivered, attempt };
  }
}
