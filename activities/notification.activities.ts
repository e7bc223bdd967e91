import { Inject, Injectable, Optional } from '@nestjs/common';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { DeliveryReport, Priority, Role, Severity } from '../libs/contracts/src/incident';
import { POLICY, Policy } from '../libs/policy/src';
import { signedHeaders } from '../libs/webhooks/src';
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
}

export interface NotificationPayload {
  type: string;
  id: string;
  timestamp: string;
  data: NotifyInput['incident'] & { step: string; stepAt: string; recipients: Array<{ role: Role; address: string }> };
}

/** Where the structured log line of every event goes (default: stdout, one JSON object per line). */
export interface NotificationLogSink {
  write(entry: Record<string, unknown>): void;
}
export const NOTIFICATION_LOG_SINK = Symbol('NOTIFICATION_LOG_SINK');
const stdoutSink: NotificationLogSink = { write: (entry) => process.stdout.write(`${JSON.stringify(entry)}\n`) };

/** Progress kept in heartbeat details so a retry only re-sends to subscribers that failed. */
interface Progress {
  logged: boolean;
  delivered: string[];
}

export const DELIVERY_TIMEOUT_MS = 10_000;

/** `*`, `ihr.*` (prefix) or an exact event name. */
export function matchesEvent(pattern: string, event: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return event.startsWith(pattern.slice(0, -1));
  return pattern === event;
}

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
    const context = activityContext();
    const progress: Progress = { logged: false, delivered: [], ...(context?.info.heartbeatDetails as Partial<Progress> | undefined) };
    const attempt = context?.info.attempt ?? 1;
    const { resolved, unresolved } = await this.recipients(input);
    const subscribers = this.policy.document.subscribers.filter((s) => s.events.some((p) => matchesEvent(p, input.event)));
    const payload: NotificationPayload = {
      type: input.event,
      id: input.webhookId,
      timestamp: input.occurredAt,
      data: { ...input.incident, step: input.stepId, stepAt: input.stepAt, recipients: resolved },
    };
    if (!progress.logged) {
      this.sink.write({
        level: 'info',
        msg: 'sla notification',
        time: new Date().toISOString(),
        ...payload,
        unresolvedRoles: unresolved,
        subscribers: subscribers.map((s) => s.id),
      });
      progress.logged = true;
      context?.heartbeat(progress);
    }
    const body = JSON.stringify(payload);
    const failures: Array<{ id: string; error: string }> = [];
    for (const subscriber of subscribers) {
      if (progress.delivered.includes(subscriber.id)) continue;
      try {
        const secret = process.env[subscriber.secretEnv];
        if (!secret) throw new Error(`secret env ${subscriber.secretEnv} is not set`);
        const response = await fetch(subscriber.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signedHeaders(secret, input.webhookId, body) },
          body,
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        progress.delivered.push(subscriber.id);
      } catch (error) {
        failures.push({ id: subscriber.id, error: error instanceof Error ? error.message : String(error) });
      } finally {
        context?.heartbeat(progress);
      }
    }
    if (failures.length > 0) {
      throw ApplicationFailure.retryable(
        `delivery of ${input.event} (${input.webhookId}) failed for ${failures.map((f) => `${f.id}: ${f.error}`).join('; ')} (attempt ${attempt})`,
        'WebhookDeliveryFailed',
        { failed: failures.map((f) => f.id), delivered: progress.delivered },
      );
    }
    return { webhookId: input.webhookId, recipients: resolved, delivered: progress.delivered, attempt };
  }
}

/** The activity context, or undefined when called directly (unit tests without an activity environment). */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}
