import { Inject, Injectable, Optional } from '@nestjs/common';
import { DeliveryReport, Priority, Role, Severity } from '../libs/contracts/src/incident';
import { incidentWorkflowId } from '../libs/contracts/src/names';
import { incidentMessage } from '../libs/notifications/src';
import { POLICY, Policy } from '../libs/policy/src';
import { DirectorySource, PEOPLE } from '../libs/people/src';
import { Channels } from './channels';
import { deliverEvent, DeliveryResume, NOTIFICATION_LOG_SINK, NotificationLogSink, stdoutSink } from './delivery';
import { resolveRoles } from './recipients';
import { TAM_DIRECTORY, TamDirectory } from './tam-directory';

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
  /** How the due instant was counted (the clock's explanation summary); sent since patch notify-channels. */
  explanation?: string;
  /** The ladder's next step after this one (null: none); sent since patch notify-channels. */
  next?: { event: string; at?: string; afterBreachMs?: number } | null;
  /**
   * Set on the durable fallback after the workflow's local first attempt failed: the log line that
   * attempt wrote is not written again, the targets it reached (`delivered`) are skipped, and
   * attempt numbers continue after `priorAttempts` (docs/escalation.md, Deliveries).
   */
  resume?: DeliveryResume;
  /** Time budget of this attempt for all targets (ms; the local first attempt): see `EventDelivery.budgetMs`. */
  budgetMs?: number;
}

export interface NotificationPayload {
  type: string;
  id: string;
  timestamp: string;
  data: NotifyInput['incident'] & { step: string; stepAt: string; recipients: Array<{ role: Role; address: string }> };
}

export { matchesEvent, NOTIFICATION_LOG_SINK } from './delivery';
export type { DeliveryResume, NotificationLogSink } from './delivery';

@Injectable()
export class NotificationActivities {
  private readonly sink: NotificationLogSink;

  constructor(
    @Inject(POLICY) private readonly policy: Policy,
    @Inject(TAM_DIRECTORY) private readonly tams: TamDirectory,
    @Inject(PEOPLE) private readonly people: DirectorySource,
    private readonly channels: Channels,
    @Optional() @Inject(NOTIFICATION_LOG_SINK) sink?: NotificationLogSink,
  ) {
    this.sink = sink ?? stdoutSink;
  }

  /**
   * One fired escalation event: a structured log line (always), then every target: the policy's
   * subscribers of the event (webhooks, Slack, Teams) and the people holding the step's roles (email,
   * chat). Throws (retryable) while any target fails; the retry policy set by the workflow backs off.
   * An event no target can reach is reported `undeliverable` with the reasons, never as delivered.
   */
  async notify(input: NotifyInput): Promise<DeliveryReport> {
    const startedAt = Date.now();
    const { resolved, unreached: unresolved } = await resolveRoles(
      this.policy,
      this.people.current(),
      this.tams,
      input.incident,
      input.roles,
    );
    const recipients = resolved.map((r) => ({ role: r.role as Role, address: r.email }));
    const payload: NotificationPayload = {
      type: input.event,
      id: input.webhookId,
      timestamp: input.occurredAt,
      data: { ...input.incident, step: input.stepId, stepAt: input.stepAt, recipients },
    };
    const center = this.policy.center(input.incident.supportCenter);
    const plan = this.policy.plan(input.incident.planId);
    const { settings } = this.channels;
    const eventFor = {
      ...input,
      incident: {
        ...input.incident,
        planName: plan?.name ?? input.incident.planId,
        severityName: this.policy.document.severities[`sev${input.incident.severity}`]?.name ?? '',
        centerName: center?.name ?? input.incident.supportCenter,
        centerZone: center?.calendar.zone ?? 'UTC',
      },
      links: {
        incident: settings.publicBaseUrl
          ? `${settings.publicBaseUrl}/v1/incidents/${encodeURIComponent(input.incident.incidentId)}`
          : undefined,
        workflow: settings.temporalUiUrl
          ? `${settings.temporalUiUrl}/namespaces/${encodeURIComponent(settings.namespace)}/workflows/${encodeURIComponent(incidentWorkflowId(input.incident.incidentId))}`
          : undefined,
      },
    };
    const centerReader = {
      name: center?.name ?? input.incident.supportCenter,
      zone: eventFor.incident.centerZone,
      locale: 'en-GB',
    };
    const people = this.channels.personTargets(resolved, input.webhookId, (reader) =>
      incidentMessage(eventFor, reader),
    );
    const targets = [
      ...this.channels.subscriberTargets(this.policy, input.event, input.webhookId, JSON.stringify(payload), () =>
        incidentMessage(eventFor, centerReader),
      ),
      ...people.targets,
    ];
    const unreached = [...unresolved, ...people.unreached];
    const logFields = { ...payload, unreached };
    if (targets.length === 0) {
      const undeliverable = `no channel reaches anyone: ${unreached.map((u) => `${u.role}: ${u.reason}`).join('; ') || 'no recipients and no subscribers'}`;
      if (!input.resume?.logged)
        this.sink.write({
          level: 'warn',
          msg: 'sla notification undeliverable',
          time: new Date().toISOString(),
          ...logFields,
          undeliverable,
        });
      return { webhookId: input.webhookId, recipients, delivered: [], attempt: 1, unreached, undeliverable };
    }
    const { delivered, attempt } = await deliverEvent(this.sink, {
      event: input.event,
      webhookId: input.webhookId,
      targets,
      logMessage: 'sla notification',
      logFields,
      resume: input.resume,
      // The budget counts from the start of the call (role lookups included).
      budgetMs: input.budgetMs !== undefined ? Math.max(0, input.budgetMs - (Date.now() - startedAt)) : undefined,
    });
    return { webhookId: input.webhookId, recipients, delivered, attempt, ...(unreached.length ? { unreached } : {}) };
  }
}
