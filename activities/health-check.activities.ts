import { Inject, Injectable, Optional } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { Client } from '@temporalio/client';
import type { AccountRecord } from '../libs/contracts/src/account';
import type { Role } from '../libs/contracts/src/incident';
import { ReconcileReport, ScheduleSyncResult, Task } from '../libs/contracts/src/health-check';
import { healthCheckWorkflowId } from '../libs/contracts/src/names';
import { POLICY, Policy } from '../libs/policy/src';
import { TEMPORAL_CLIENT } from '../libs/settings/src/nest';
import {
  businessDaysAfter,
  businessDaysBefore,
  healthCheckInputFor,
  localLabel,
  REMIND_BUSINESS_DAYS_BEFORE,
  SCHEDULE_WITHIN_BUSINESS_DAYS,
} from './health-check-cycle';
import { deliverSignedEvent, NOTIFICATION_LOG_SINK, NotificationLogSink, stdoutSink } from './webhook-delivery';
import { readAccount, reconcileSchedules, startYearWorkflow, syncSchedule } from './schedule';
import { TAM_DIRECTORY, TamDirectory } from './tam-directory';

export interface TaskNotifyInput {
  event: string;
  /** Stable per task event (`<taskId>.<event>[.<generation>]`): receivers de-duplicate on it. */
  webhookId: string;
  /** Workflow time of the event: the payload's `timestamp`, same on every retry. */
  occurredAt: string;
  /** Roles of the center notified besides the owner (e.g. supportManager on overdue). */
  alsoNotify: Role[];
  account: { accountId: string; accountName: string; planId: string; supportCenter: string; contractYear: number };
  task: Task;
  message: string;
}

export interface TaskDeliveryReport {
  webhookId: string;
  recipients: Array<{ role: Role | 'owner'; address: string }>;
  delivered: string[];
  attempt: number;
}

export interface StartHealthCheckYearInput {
  accountId: string;
  /** The schedule's nominal time (from the starter's workflow ID), ISO. */
  scheduledAt: string;
}

export interface StartHealthCheckYearResult {
  workflowId?: string;
  action: 'started' | 'existing' | 'skipped';
  reason?: string;
}

/**
 * Health-check side effects: business-day planning (libs/business-time), task notifications through
 * the same Standard Webhooks delivery as incidents, schedule sync and reconciliation, and the
 * schedule's year start.
 */
@Injectable()
export class HealthCheckActivities {
  private readonly sink: NotificationLogSink;

  constructor(
    @Inject(POLICY) private readonly policy: Policy,
    @Inject(TAM_DIRECTORY) private readonly tams: TamDirectory,
    @Optional() @Inject(TEMPORAL_CLIENT) private readonly injectedClient?: Client,
    @Optional() @Inject(NOTIFICATION_LOG_SINK) sink?: NotificationLogSink,
  ) {
    this.sink = sink ?? stdoutSink;
  }

  /** The worker's client when Nest has one (TEMPORAL_CLIENT), else the activity context's. */
  private client(): Client {
    return this.injectedClient ?? Context.current().client;
  }

  /**
   * Due of a task: the end of the `businessDays`-th business day of the center after the day of
   * `requestedAt` (default 10: "schedule the <kind> health check" after the request; account reviews
   * pass the policy's `accountReviews.dueBusinessDays` and their creation instant, verb "hold").
   */
  async planHealthCheckDue(input: { supportCenter: string; requestedAt: string; businessDays?: number; verb?: string }): Promise<{ dueAt: string; dueLabel: string }> {
    const calendar = this.policy.calendar(input.supportCenter);
    const due = businessDaysAfter(calendar, Date.parse(input.requestedAt), input.businessDays ?? SCHEDULE_WITHIN_BUSINESS_DAYS);
    return { dueAt: new Date(due).toISOString(), dueLabel: `${input.verb ?? 'schedule'} by ${localLabel(due, calendar.zone)}` };
  }

  /** Reminder instant: the opening of the business day 2 business days before the scheduled date. */
  async planHealthCheckReminder(input: { supportCenter: string; scheduledFor: string }): Promise<{ remindAt: string; remindLabel: string }> {
    const calendar = this.policy.calendar(input.supportCenter);
    const at = businessDaysBefore(calendar, Date.parse(input.scheduledFor), REMIND_BUSINESS_DAYS_BEFORE);
    return { remindAt: new Date(at).toISOString(), remindLabel: `remind ${localLabel(at, calendar.zone)}` };
  }

  /** One task event: a structured log line, then a signed webhook to every subscriber of the event. */
  async notifyTask(input: TaskNotifyInput): Promise<TaskDeliveryReport> {
    const roles = this.policy.center(input.account.supportCenter)?.roles ?? {};
    const ownerAddress =
      input.task.ownerKind === 'tam' ? ((await this.tams.tamFor(input.account.accountId)) ?? input.task.owner) : input.task.owner;
    const recipients: TaskDeliveryReport['recipients'] = [{ role: 'owner', address: ownerAddress }];
    for (const role of input.alsoNotify) {
      const address = roles[role];
      if (address) recipients.push({ role, address });
    }
    const payload = {
      type: input.event,
      id: input.webhookId,
      timestamp: input.occurredAt,
      data: { ...input.account, owner: input.task.owner, message: input.message, task: input.task, recipients },
    };
    const { delivered, attempt } = await deliverSignedEvent(this.policy, this.sink, {
      event: input.event,
      webhookId: input.webhookId,
      payload,
      logMessage: 'sla task notification',
    });
    return { webhookId: input.webhookId, recipients, delivered, attempt };
  }

  /** Called by the account workflow after creation and after plan/center/contract/TAM changes. */
  async syncHealthCheckSchedule(input: { account: AccountRecord }): Promise<ScheduleSyncResult> {
    return syncSchedule(this.client(), this.policy, input.account);
  }

  async reconcileHealthCheckSchedules(): Promise<ReconcileReport> {
    return reconcileSchedules(this.client(), this.policy);
  }

  /**
   * The schedule's action (through the starter workflow): start the contract year that contains the
   * scheduled time. Duplicates (trigger twice, backfill, catch-up) find the existing workflow.
   */
  async startHealthCheckYear(input: StartHealthCheckYearInput): Promise<StartHealthCheckYearResult> {
    const client = this.client();
    const account = await readAccount(client, input.accountId);
    if (!account) return { action: 'skipped', reason: `no account ${input.accountId}` };
    const prepared = healthCheckInputFor(this.policy, account, Date.parse(input.scheduledAt));
    if ('reason' in prepared) return { action: 'skipped', reason: prepared.reason };
    const workflowId = healthCheckWorkflowId(account.accountId, prepared.input.contractYear);
    if (Date.parse(prepared.input.end) <= Date.now()) {
      return { workflowId, action: 'skipped', reason: `contract year ${prepared.input.contractYear} ended ${prepared.input.end}` };
    }
    return { workflowId, action: await startYearWorkflow(client, prepared.input) };
  }
}
