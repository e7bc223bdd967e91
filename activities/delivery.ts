import { ApplicationFailure, Context } from '@temporalio/activity';
import { DELIVERY_TIMEOUT_MS } from '../libs/contracts/src/delivery';
import { maskDeep } from '../libs/observability/src/logger';

/**
 * Where the structured log line of every event goes (default: stdout, one JSON object per line, with
 * email addresses masked like every other log line: logs are not a mailing list).
 */
export interface NotificationLogSink {
  write(entry: Record<string, unknown>): void;
}
export const NOTIFICATION_LOG_SINK = Symbol('NOTIFICATION_LOG_SINK');
export const stdoutSink: NotificationLogSink = {
  write: (entry) => process.stdout.write(`${JSON.stringify(maskDeep(entry))}\n`),
};

/** `*`, `ihr.*` (prefix) or an exact event name. */
export function matchesEvent(pattern: string, event: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return event.startsWith(pattern.slice(0, -1));
  return pattern === event;
}

/**
 * One place an event goes: a webhook or chat subscriber of the policy, or a person's email or chat.
 * `id` is what `delivered` records (a subscriber's id, `email:<address>`, `chat:<role>`), so a retry
 * skips the targets an earlier attempt reached.
 */
export interface DeliveryTarget {
  id: string;
  /** Sends once; rejects on failure. `timeoutMs` bounds this send. */
  send(timeoutMs: number): Promise<void>;
}

/** Progress kept in heartbeat details so a retry only re-sends to targets that failed. */
interface Progress {
  logged: boolean;
  delivered: string[];
}

export interface DeliveryResume extends Progress {
  priorAttempts: number;
}

export interface EventDelivery {
  event: string;
  /** Stable per event (the `webhook-id`): receivers de-duplicate retries on it. */
  webhookId: string;
  targets: DeliveryTarget[];
  /** The structured log line: its `msg`, and its fields (the event payload and more). */
  logMessage: string;
  logFields: Record<string, unknown>;
  /**
   * Continues a delivery an earlier attempt outside this activity's own retries began (the incident
   * workflow's local first attempt): its log line is not written again when `logged`, the `delivered`
   * targets are skipped, and attempt numbers continue after `priorAttempts`.
   */
  resume?: DeliveryResume;
  /**
   * Total time this attempt may spend on all targets (ms, from the call): each send gets at most
   * what is left (never more than DELIVERY_TIMEOUT_MS) and targets not reached in time fail this
   * attempt ("not attempted"), so a bounded attempt always ends with a failure naming them.
   */
  budgetMs?: number;
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
 * Delivers one event: a structured log line (once, whatever the retries), then every target that
 * has not received it yet. Heartbeats after each target; throws a retryable failure naming the
 * failed targets (and, in its details, those reached) so the activity retry policy does the backoff.
 */
export async function deliverEvent(
  sink: NotificationLogSink,
  input: EventDelivery,
): Promise<{ delivered: string[]; attempt: number }> {
  const context = activityContext();
  const deadline = input.budgetMs !== undefined ? Date.now() + input.budgetMs : undefined;
  // Heartbeat details of this activity's earlier attempts started from `resume`: they supersede it.
  const progress: Progress = {
    logged: input.resume?.logged ?? false,
    delivered: [...(input.resume?.delivered ?? [])],
    ...(context?.info.heartbeatDetails as Partial<Progress> | undefined),
  };
  // Local activities cannot heartbeat (core logs a warning per call): their progress travels in the failure details.
  const heartbeat =
    context && !context.info.isLocal ? (details: Progress) => context.heartbeat(details) : () => undefined;
  const attempt = (input.resume?.priorAttempts ?? 0) + (context?.info.attempt ?? 1);
  if (!progress.logged) {
    sink.write({
      level: 'info',
      msg: input.logMessage,
      time: new Date().toISOString(),
      ...input.logFields,
      targets: input.targets.map((t) => t.id),
    });
    progress.logged = true;
    heartbeat(progress);
  }
  const failures: Array<{ id: string; error: string }> = [];
  for (const target of input.targets) {
    if (progress.delivered.includes(target.id)) continue;
    const left = deadline !== undefined ? Math.min(DELIVERY_TIMEOUT_MS, deadline - Date.now()) : DELIVERY_TIMEOUT_MS;
    if (left <= 0) {
      failures.push({ id: target.id, error: 'not attempted: the attempt ran out of time' });
      continue;
    }
    try {
      await target.send(left);
      progress.delivered.push(target.id);
    } catch (error) {
      failures.push({ id: target.id, error: error instanceof Error ? error.message : String(error) });
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
