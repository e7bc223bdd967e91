import type { RetryPolicy } from '@temporalio/workflow';
import type { NotificationRetry } from '../../libs/contracts/src/incident';

/** Delivery retry policy unless the workflow input overrides it (docs/escalation.md). */
export const DEFAULT_NOTIFICATION_RETRY = {
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 60_000,
  maximumAttempts: 8,
} as const;

/** The input's override laid over the defaults: every field present. */
export type ResolvedNotificationRetry = Required<Pick<NotificationRetry, 'initialIntervalMs' | 'backoffCoefficient'>> &
  Pick<NotificationRetry, 'maximumIntervalMs' | 'maximumAttempts'>;

export function resolveNotificationRetry(override: NotificationRetry | undefined): ResolvedNotificationRetry {
  return { ...DEFAULT_NOTIFICATION_RETRY, ...override };
}

/** The Temporal retry policy of a delivery activity (the same settings in incident and health-check workflows). */
export function deliveryRetryPolicy(
  retry: ResolvedNotificationRetry,
  initialIntervalMs = retry.initialIntervalMs,
): RetryPolicy {
  return {
    initialInterval: initialIntervalMs,
    backoffCoefficient: retry.backoffCoefficient,
    maximumInterval: retry.maximumIntervalMs,
    maximumAttempts: retry.maximumAttempts,
  };
}
