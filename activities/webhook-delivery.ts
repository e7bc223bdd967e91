import { ApplicationFailure, Context } from '@temporalio/activity';
import { DELIVERY_TIMEOUT_MS } from '../libs/contracts/src/delivery';
import { Policy } from '../libs/policy/src';
import { signedHeaders } from '../libs/webhooks/src';

/** Where the structured log line of every event goes (default: stdout, one JSON object per line). */
export interface NotificationLogSink {
  write(entry: Record<string, unknown>): void;
}
export const NOTIFICATION_LOG_SINK = Symbol('NOTIFICATION_LOG_SINK');
export const stdoutSink: NotificationLogSink = { write: (entry) => process.stdout.write(`${JSON.stringify(entry)}\n`) };

/** `*`, `ihr.*` (prefix) or an exact event name. */
export function matchesEvent(pattern: string, event: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return event.startsWith(pattern.slice(0, -1));
  return pattern === event;
}

/** Progress kept in heartbeat details so a retry only re-sends to subscribers that failed. */
interface Progress {
  logged: boolean;
  delivered: string[];
}

export interface SignedEvent {
  /** Event name, matched against the subscribers' `events` patterns. */
  event: string;
  /** Stable per event (the `webhook-id`): receivers de-duplicate retries on it. */
  webhookId: string;
  /** The JSON body (Standard Webhooks: `{ type, id, timestamp, data }`). */
  payload: Record<string, unknown>;
  /** The log line's `msg`, and fields logged beside the payload. */
  logMessage: string;
  logFields?: Record<string, unknown>;
  /**
   * Continues a delivery an earlier attempt outside this activity's own retries began (the incident
   * workflow's local first attempt): its log line is not written again when `logged`, the `delivered`
   * subscribers are skipped, and attempt numbers continue after `priorAttempts`.
   */
  resume?: DeliveryResume;
  /**
   * Total time this attempt may spend on all subscribers (ms, from the call): each POST gets at most
   * what is left (never more than DELIVERY_TIMEOUT_MS) and subscribers not reached in time fail this
   * attempt ("not attempted"), so a bounded attempt always ends with a failure naming them.
   */
  budgetMs?: number;
}

export interface DeliveryResume extends Progress {
  priorAttempts: number;
}

/** The activity context, or undefined when called directly (unit tests without an activity environment). */
export function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/**
 * Delivers one event: a structured log line (once, whatever the retries), then a Standard Webhooks
 * POST to every subscriber of the event that has not received it yet. Heartbeats after each
 * subscriber; throws a retryable failure naming the failed subscribers so the activity retry policy
 * does the backoff.
 */
export async function deliverSignedEvent(
  policy: Policy,
  sink: NotificationLogSink,
  input: SignedEvent,
): Promise<{ delivered: string[]; attempt: number }> {
  const context = activityContext();
  const deadline = input.budgetMs !== undefined ? Date.now() + input.budgetMs : undefined;
  // Heartbeat details of this activity's earlier attempts started from `resume`: they supersede it.
  const progress: Progress = { logged: input.resume?.logged ?? false, delivered: [...(input.resume?.delivered ?? [])], ...(context?.info.heartbeatDetails as Partial<Progress> | undefined) };
  // Local activities cannot heartbeat (core logs a warning per call): their progress travels in the failure details.
  const heartbeat = context && !context.info.isLocal ? (details: Progress) => context.heartbeat(details) : () => undefined;
  const attempt = (input.resume?.priorAttempts ?? 0) + (context?.info.attempt ?? 1);
  const subscribers = policy.document.subscribers.filter((s) => s.events.some((p) => matchesEvent(p, input.event)));
  if (!progress.logged) {
    sink.write({
      level: 'info',
      msg: input.logMessage,
      time: new Date().toISOString(),
      ...input.payload,
      ...input.logFields,
      subscribers: subscribers.map((s) => s.id),
    });
    progress.logged = true;
    heartbeat(progress);
  }
  const body = JSON.stringify(input.payload);
  const failures: Array<{ id: string; error: string }> = [];
  for (const subscriber of subscribers) {
    if (progress.delivered.includes(subscriber.id)) continue;
    const left = deadline !== undefined ? Math.min(DELIVERY_TIMEOUT_MS, deadline - Date.now()) : DELIVERY_TIMEOUT_MS;
    if (left <= 0) {
      failures.push({ id: subscriber.id, error: 'not attempted: the attempt ran out of time' });
      continue;
    }
    try {
      const secret = process.env[subscriber.secretEnv];
      if (!secret) throw new Error(`secret env ${subscriber.secretEnv} is not set`);
      const response = await fetch(subscriber.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedHeaders(secret, input.webhookId, body) },
        body,
        signal: AbortSignal.timeout(left),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      progress.delivered.push(subscriber.id);
    } catch (error) {
      failures.push({ id: subscriber.id, error: error instanceof Error ? error.message : String(error) });
    } finally {
      heartbeat(progress);
    }
  }
  if (failures.length > 0) {
    throw ApplicationFailure.retryable(
      `delivery of ${input.event} (${input.webhookId}) failed for ${failures.map((f) => `${f.id}: ${f.error}`).join('; ')} (attempt ${attempt})`,
      'WebhookDeliveryFailed',
      { failed: failures.map((f) => f.id), delivered: progress.delivered },
    );
  }
  return { delivered: progress.delivered, attempt };
}
