// Health-check schedules: create/update/delete `health-checks/<accountId>` to match an account, and
// reconcile the whole set. Plain functions over a Client and the Policy, used by the activities,
// the worker's start-up and the admin API; never by workflow code (they call the Temporal Client).
import { readAccountMemo } from '../../account-directory/src';
import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { MONTHS, ScheduleOptions, ScheduleSpec } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { AccountMemo, AccountRecord } from '../../contracts/src/account';
import {
  HEALTH_CHECK_STARTER_WORKFLOW_TYPE,
  HEALTH_CHECK_WORKFLOW_TYPE,
  HealthCheckInput,
  HealthCheckPlanChange,
  healthCheckPlanChangedSignal,
  ReconcileReport,
  ScheduleSyncResult,
} from '../../contracts/src/health-check';
import { healthCheckScheduleId, healthCheckWorkflowId, TASK_QUEUE } from '../../contracts/src/names';
import { SA } from '../../contracts/src/search-attributes';
import type { Policy } from '../../policy/src/policy';
import { openOffer, yearMemo } from './year-memo';
import {
  contractYearAt,
  eligibleKinds,
  hasAccountReviews,
  healthCheckInputFor,
  localLabel,
  ownerFor,
  scheduleSpecFor,
} from './health-check-cycle';

/** Missed firings (server down at the anniversary) are still taken within this window. */
export const SCHEDULE_CATCHUP_WINDOW = '30 days';
export const SCHEDULE_ID_PREFIX = 'health-checks/';

/** The account record from its workflow's memo (strongly consistent `describe`), or undefined. */
export async function readAccount(client: Client, accountId: string): Promise<AccountRecord | undefined> {
  return (await readAccountMemo(client, accountId))?.account;
}

export function isEligible(policy: Policy, account: AccountRecord): boolean {
  return eligibleKinds(policy, account.plan).length > 0 && Boolean(policy.center(account.supportCenter));
}

function specComment(account: AccountRecord, zone: string): string {
  const spec = scheduleSpecFor(account.contractStart, zone);
  return `contract anniversary ${spec.key} (contract start ${account.contractStart})`;
}

export function scheduleSpec(account: AccountRecord, zone: string): ScheduleSpec {
  const spec = scheduleSpecFor(account.contractStart, zone);
  return {
    calendars: [
      {
        month: MONTHS[spec.month - 1],
        dayOfMonth: spec.day,
        hour: spec.hour,
        minute: 0,
        second: 0,
        comment: specComment(account, zone),
      },
    ],
    timezone: zone,
  };
}

export function scheduleOptions(policy: Policy, account: AccountRecord): ScheduleOptions {
  const zone = policy.center(account.supportCenter)!.calendar.zone;
  return {
    scheduleId: healthCheckScheduleId(account.accountId),
    spec: scheduleSpec(account, zone),
    action: {
      type: 'startWorkflow',
      workflowType: HEALTH_CHECK_STARTER_WORKFLOW_TYPE,
      // The server appends the scheduled time: `health-checks/<accountId>-2027-03-01T07:00:00Z`.
      workflowId: healthCheckScheduleId(account.accountId),
      taskQueue: TASK_QUEUE,
      args: [{ accountId: account.accountId }],
      typedSearchAttributes: [{ key: SA.accountId, value: account.accountId }],
      staticSummary: `Start the contract year's health-check workflow of ${account.accountId}`,
    },
    policies: { overlap: 'ALLOW_ALL', catchupWindow: SCHEDULE_CATCHUP_WINDOW },
    memo: { accountId: account.accountId },
    state: { note: `Yearly health checks of ${account.accountId} (${account.plan}); managed by the SLA engine` },
  };
}

/** Creates or updates the account's schedule; `unchanged` when spec and zone already match. */
async function upsertSchedule(
  client: Client,
  policy: Policy,
  account: AccountRecord,
): Promise<ScheduleSyncResult['schedule']> {
  const options = scheduleOptions(policy, account);
  const handle = client.schedule.getHandle(options.scheduleId);
  try {
    const description = await handle.describe();
    const comment = description.spec.calendars?.[0]?.comment;
    const wanted = options.spec.calendars![0].comment;
    if (comment === wanted && description.spec.timezone === options.spec.timezone) return 'unchanged';
    await handle.update((previous) => ({ ...previous, spec: options.spec }));
    return 'updated';
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return 'unchanged'; // a concurrent sync won
    throw error;
  }
}

async function deleteSchedule(client: Client, accountId: string): Promise<ScheduleSyncResult['schedule']> {
  try {
    await client.schedule.getHandle(healthCheckScheduleId(accountId)).delete();
    return 'deleted';
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return 'absent';
    throw error;
  }
}

/**
 * Start options of the year's workflow `health-check/<accountId>/<contractYear>` (memo and search attributes set at
 * start).
 */
export function yearWorkflowStartOptions(input: HealthCheckInput) {
  // Set at start (the workflow publishes the same memo) so the year lists before its first task runs.
  const memo = yearMemo(input, {
    ...input,
    offer: openOffer(input, new Date().toISOString()),
    requests: {},
    reviews: [],
  });
  return {
    taskQueue: TASK_QUEUE,
    workflowId: healthCheckWorkflowId(input.accountId, input.contractYear),
    args: [input] as [HealthCheckInput],
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    memo: { ...memo },
    typedSearchAttributes: new TypedSearchAttributes([
      { key: SA.accountId, value: input.accountId },
      { key: SA.plan, value: input.planId },
      { key: SA.supportCenter, value: input.supportCenter },
      { key: SA.owner, value: input.owner },
      { key: SA.state, value: 'open' },
      { key: SA.ihrDueAt, value: new Date(input.end) },
    ]),
    staticSummary: `Health checks ${input.accountId} contract year ${input.contractYear} (${input.kinds.join(' + ')})`,
    staticDetails:
      `Contract year ${localLabel(Date.parse(input.start), input.zone)} to ${localLabel(Date.parse(input.end), input.zone)}; ` +
      `plan ${input.planId} (${input.planName}); owner ${input.owner} (${input.ownerKind}).`,
  };
}

/**
 * Starts the year's workflow unless it exists (running or closed: REJECT_DUPLICATE, so a contract
 * year never runs twice).
 */
export async function startYearWorkflow(client: Client, input: HealthCheckInput): Promise<'started' | 'existing'> {
  try {
    await client.workflow.start(HEALTH_CHECK_WORKFLOW_TYPE, yearWorkflowStartOptions(input));
    return 'started';
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return 'existing';
    throw error;
  }
}

/** Signals the year's workflow if it runs; false when there is none. */
async function signalYearWorkflow(client: Client, workflowId: string, change: HealthCheckPlanChange): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).signal(healthCheckPlanChangedSignal, change);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/**
 * Makes the schedule match the account (create, update spec/zone, or delete when no longer
 * eligible) and brings the current contract year along: an eligible account whose contract year
 * has begun gets that year's workflow (upgrade mid-year, creation mid-year); a running year's
 * workflow is told about the plan/owner change (a downgrade closes its pending offers).
 */
export async function syncSchedule(
  client: Client,
  policy: Policy,
  account: AccountRecord,
  nowMs = Date.now(),
): Promise<ScheduleSyncResult> {
  const scheduleId = healthCheckScheduleId(account.accountId);
  const eligible = isEligible(policy, account);
  const schedule = eligible
    ? await upsertSchedule(client, policy, account)
    : await deleteSchedule(client, account.accountId);
  const plan = policy.plan(account.plan);
  const prepared = healthCheckInputFor(policy, account, nowMs);
  const zone = policy.center(account.supportCenter)?.calendar.zone;
  if (!zone) return { accountId: account.accountId, scheduleId, schedule };
  // The running year, computed even for a plan without health checks (to close its offers).
  const year = contractYearAt(account.contractStart, zone, nowMs);
  if (!year) return { accountId: account.accountId, scheduleId, schedule };
  const workflowId = healthCheckWorkflowId(account.accountId, year.contractYear);
  const owner = ownerFor(policy, account);
  const kinds = eligibleKinds(policy, account.plan);
  const signalled = await signalYearWorkflow(client, workflowId, {
    planId: account.plan,
    planName: plan?.name ?? account.plan,
    kinds,
    ...owner,
    reviews: hasAccountReviews(policy, account.plan),
    reason:
      kinds.length === 0
        ? `plan changed to ${account.plan} (${plan?.name ?? 'unknown'}), which includes no health checks`
        : `account changed (plan ${account.plan}, owner ${owner.owner})`,
  });
  if (signalled)
    return { accountId: account.accountId, scheduleId, schedule, yearWorkflow: { workflowId, action: 'signalled' } };
  if ('input' in prepared) {
    const action = await startYearWorkflow(client, prepared.input);
    return { accountId: account.accountId, scheduleId, schedule, yearWorkflow: { workflowId, action } };
  }
  return { accountId: account.accountId, scheduleId, schedule, yearWorkflow: { workflowId, action: 'none' } };
}

/** Every running account's record, from visibility (memo). */
async function listAccounts(client: Client): Promise<AccountRecord[]> {
  const accounts: AccountRecord[] = [];
  for await (const info of client.workflow.list({
    query: `WorkflowType = "accountWorkflow" AND ExecutionStatus = "Running"`,
  })) {
    const account = (info.memo as Partial<AccountMemo> | undefined)?.account;
    if (account) accounts.push(account);
  }
  return accounts;
}

/**
 * Makes the set of `health-checks/*` schedules match the set of eligible accounts: missing ones are
 * created, stale specs updated, schedules of accounts that are gone or no longer eligible deleted
 * (after re-reading the account directly, since visibility may lag behind a fresh account).
 */
export async function reconcileSchedules(client: Client, policy: Policy): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    at: new Date().toISOString(),
    eligibleAccounts: 0,
    created: [],
    updated: [],
    deleted: [],
    unchanged: 0,
  };
  const accounts = await listAccounts(client);
  const eligible = new Map(accounts.filter((a) => isEligible(policy, a)).map((a) => [a.accountId, a]));
  report.eligibleAccounts = eligible.size;
  for (const account of eligible.values()) {
    const result = await upsertSchedule(client, policy, account);
    if (result === 'created') report.created.push(healthCheckScheduleId(account.accountId));
    else if (result === 'updated') report.updated.push(healthCheckScheduleId(account.accountId));
    else report.unchanged += 1;
  }
  for await (const summary of client.schedule.list()) {
    if (!summary.scheduleId.startsWith(SCHEDULE_ID_PREFIX)) continue;
    const accountId = summary.scheduleId.slice(SCHEDULE_ID_PREFIX.length);
    if (eligible.has(accountId)) continue;
    const account = await readAccount(client, accountId);
    if (account && isEligible(policy, account)) {
      // Visibility had not caught up with this account yet: keep its schedule, make it right.
      const result = await upsertSchedule(client, policy, account);
      if (result === 'updated') report.updated.push(summary.scheduleId);
      else if (result === 'created') report.created.push(summary.scheduleId);
      else report.unchanged += 1;
      continue;
    }
    if ((await deleteSchedule(client, accountId)) === 'deleted') report.deleted.push(summary.scheduleId);
  }
  return report;
}
