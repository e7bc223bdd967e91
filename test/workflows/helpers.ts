import { randomBytes } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { NOTIFICATION_LOG_SINK, TAM_DIRECTORY } from '../../activities';
import {
  HealthCheckInput,
  IncidentIntake,
  IncidentWorkflowInput,
  NotificationRetry,
  Priority,
  Severity,
} from '../../libs/contracts/src';
import { IhrClockPlanner, pinSla, Policy } from '../../libs/policy/src';
import { testPolicy } from '../support/temporal';

/** Test secrets for the local receivers (`whsec_` + base64 key, as Standard Webhooks prescribes). */
export const HOOK_SECRET = `whsec_${Buffer.from('sla-test-hook-secret-0123456789').toString('base64')}`;
export const HOOK_SECRET_ENV = 'SLA_TEST_HOOK_SECRET';
process.env[HOOK_SECRET_ENV] = HOOK_SECRET;

/** acme's TAM: its id (accounts store it) and its address in config/people.yaml. */
export const TAM_ID = 'jane.doe';
export const TAM_ADDRESS = 'jane.doe@vendor.example';
/** Quick retries so a failing receiver settles in milliseconds of workflow time. */
export const FAST_RETRY: NotificationRetry = {
  initialIntervalMs: 100,
  backoffCoefficient: 2,
  maximumIntervalMs: 400,
  maximumAttempts: 3,
};

/** The default policy with webhook subscribers (`[id, url, events]`). */
export function policyWithSubscribers(
  subscribers: Array<[string, string, string[]]>,
  change?: (doc: any) => void,
): Policy {
  return testPolicy((doc) => {
    doc.subscribers = subscribers.map(([id, url, events]) => ({ id, url, secretEnv: HOOK_SECRET_ENV, events }));
    change?.(doc);
  });
}

/** Worker providers: account `acme` has a TAM, log lines go to `logLines` instead of stdout. */
export function testProviders(logLines: Array<Record<string, unknown>> = []) {
  return [
    {
      provide: TAM_DIRECTORY,
      useValue: {
        tamFor: async (accountId: string) => (accountId === 'acme' ? TAM_ID : undefined),
        primaryContact: async () => undefined,
      },
    },
    { provide: NOTIFICATION_LOG_SINK, useValue: { write: (entry: Record<string, unknown>) => logLines.push(entry) } },
  ];
}

export function incidentInput(
  policy: Policy,
  options: {
    planId: string;
    center?: string;
    severity: Severity;
    priority?: Priority;
    enteredAt: string | number;
    retry?: NotificationRetry;
    /** As the API starts incidents: the first clock planned before the start (default: the workflow plans it). */
    clockAtIntake?: boolean;
  },
): IncidentWorkflowInput {
  const intake: IncidentIntake = {
    incidentId: `INC-${randomBytes(6).toString('hex').toUpperCase()}`,
    accountId: 'acme',
    contactId: 'c1',
    severity: options.severity,
    priority: options.priority ?? 3,
    channel: 'portal',
    product: 'Engine',
    productVersion: '4.2',
    summary: `test ${options.planId} Sev ${options.severity}`,
    description: 'test incident',
    enteredAt: new Date(options.enteredAt).toISOString(),
  };
  const pinned = pinSla(policy, options.planId, options.center ?? 'emea');
  return {
    intake,
    pinned,
    ...(options.clockAtIntake
      ? {
          initialClock: new IhrClockPlanner().plan({
            pinned,
            severity: intake.severity,
            enteredAt: intake.enteredAt,
            generation: 0,
          }),
        }
      : {}),
    notificationRetry: options.retry ?? FAST_RETRY,
  };
}

/** Skips the test server's clock forward to `ms` (it only moves forward). */
export async function skipTo(env: TestWorkflowEnvironment, ms: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (ms > now) await env.sleep(ms - now);
}

/** The first local wall time at or after `fromMs` in `zone` matching weekday/hour and the predicate. */
export function nextLocal(
  fromMs: number,
  zone: string,
  when: { weekday?: number; hour: number; minute?: number },
  accept: (t: DateTime) => boolean = () => true,
): DateTime {
  let t = DateTime.fromMillis(fromMs, { zone }).set({
    hour: when.hour,
    minute: when.minute ?? 0,
    second: 0,
    millisecond: 0,
  });
  for (let i = 0; i < 800; i++, t = t.plus({ days: 1 }).set({ hour: when.hour, minute: when.minute ?? 0 })) {
    if (t.toMillis() < fromMs) continue;
    if (when.weekday !== undefined && t.weekday !== when.weekday) continue;
    if (accept(t)) return t;
  }
  throw new Error('no matching instant within 800 days');
}

export const ms = (t: DateTime) => t.toMillis();
export const isoOf = (t: DateTime) => t.toUTC().toISO()!;

/** Event type names of a history (`WORKFLOW_TASK_STARTED`, `MARKER_RECORDED`, ...), in order. */
export function eventTypes(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).map((e) => temporal.api.enums.v1.EventType[e.eventType!].replace(/^EVENT_TYPE_/, ''));
}

/**
 * A contract year of an SPE account of the EMEA center with TAM jane.doe (the workflow takes its
 * bounds as given): identity, bounds and kinds from the caller, the rest as every test year has it.
 */
export function speYearInput(
  year: Pick<HealthCheckInput, 'accountId' | 'accountName' | 'contractYear' | 'start' | 'end'> &
    Partial<HealthCheckInput>,
): HealthCheckInput {
  return {
    owner: TAM_ID,
    ownerKind: 'tam',
    planId: 'SPE',
    planName: 'Enterprise',
    supportCenter: 'emea',
    zone: 'Europe/Helsinki',
    kinds: ['remote', 'onsite'],
    notificationRetry: FAST_RETRY,
    ...year,
  };
}
