import { Inject, Injectable, Optional } from '@nestjs/common';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { Client } from '@temporalio/client';
import type { AccountRecord } from '../libs/contracts/src/account';
import type { Role } from '../libs/contracts/src/incident';
import { ReconcileReport, ScheduleSyncResult, Task } from '../libs/contracts/src/health-check';
import { healthCheckWorkflowId } from '../libs/contracts/src/names';
import { POLICY, Policy } from '../libs/policy/src';
import { TEMPORAL_CLIENT } from '../libs/settings/src/nest';
import { businessDaysAfter, businessDaysBefore } from '../libs/business-time/src';
import {
  healthCheckInputFor,
  localLabel,
  readAccount,
  reconcileSchedules,
  REMIND_BUSINESS_DAYS_BEFORE,
  SCHEDULE_WITHIN_BUSINESS_DAYS,
  startYearWorkflow,
  syncSchedule,
} from '../libs/health-checks/src';
import { addressOf, domainOf, taskMessage } from '../libs/notifications/src';
import { DirectorySource, isUnreached, PEOPLE, Recipient, Unreached } from '../libs/people/src';
import { Channels } from './channels';
import { deliverEvent, NOTIFICATION_LOG_SINK, NotificationLogSink, stdoutSink } from './delivery';
import { resolveRoles } from './recipients';
import { calendarMethodFor, taskInvitation } from './task-invitations';
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
  unreached?: Unreached[];
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
    @Inject(PEOPLE) private readonly people: DirectorySource,
    private readonly channels: Channels,
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
  async planHealthCheckDue(input: {
    supportCenter: string;
    requestedAt: string;
    businessDays?: number;
    verb?: string;
  }): Promise<{ dueAt: string; dueLabel: string }> {
    const calendar = this.policy.calendar(input.supportCenter);
    const due = businessDaysAfter(
      calendar,
      Date.parse(input.requestedAt),
      input.businessDays ?? SCHEDULE_WITHIN_BUSINESS_DAYS,
    );
    return {
      dueAt: new Date(due).toISOString(),
      dueLabel: `${input.verb ?? 'schedule'} by ${localLabel(due, calendar.zone)}`,
    };
  }

  /** Reminder instant: the opening of the business day 2 business days before the scheduled date. */
  async planHealthCheckReminder(input: {
    supportCenter: string;
    scheduledFor: string;
  }): Promise<{ remindAt: string; remindLabel: string }> {
    const calendar = this.policy.calendar(input.supportCenter);
    const at = businessDaysBefore(calendar, Date.parse(input.scheduledFor), REMIND_BUSINESS_DAYS_BEFORE);
    return { remindAt: new Date(at).toISOString(), remindLabel: `remind ${localLabel(at, calendar.zone)}` };
  }

  /**
   * One task event: a structured log line, then every target: the policy's subscribers of the event
   * (webhooks, Slack, Teams), an email to the owner and to the roles also notified, and, for events
   * that change a calendar entry (docs/notifications.md), the invitation or cancellation to the owner
   * and the account's first contact. An event no target can reach fails without retries, so the
   * workflow records it undeliverable in `deliveryFailures`, never as delivered.
   */
  async notifyTask(input: TaskNotifyInput): Promise<TaskDeliveryReport> {
    const directory = this.people.current();
    const center = this.policy.center(input.account.supportCenter);
    const zone = center?.calendar.zone ?? 'UTC';
    const owner = await this.ownerOf(input);
    const also = await resolveRoles(this.policy, directory, this.tams, input.account, input.alsoNotify);
    const people: Recipient[] = [...(isUnreached(owner) ? [] : [owner]), ...also.resolved];
    const unresolved: Unreached[] = [
      ...(isUnreached(owner) ? [{ ...owner, role: 'owner' as const }] : []),
      ...also.unreached,
    ];
    const recipients: TaskDeliveryReport['recipients'] = people.map((p) => ({
      role: p.role as Role | 'owner',
      address: p.email,
    }));
    const payload = {
      type: input.event,
      id: input.webhookId,
      timestamp: input.occurredAt,
      data: { ...input.account, owner: input.task.owner, message: input.message, task: input.task, recipients },
    };
    const { settings } = this.channels;
    const links = {
      tasks: settings.publicBaseUrl
        ? `${settings.publicBaseUrl}/v1/tasks/${encodeURIComponent(input.task.taskId)}`
        : undefined,
      workflow: settings.temporalUiUrl
        ? `${settings.temporalUiUrl}/namespaces/${encodeURIComponent(settings.namespace)}/workflows/${encodeURIComponent(healthCheckWorkflowId(input.account.accountId, input.account.contractYear))}`
        : undefined,
    };
    const event = { ...input, centerZone: zone, links };
    // The customer's contact is an attendee of calendar entries only: internal task mail is not theirs.
    const contact = await this.tams.primaryContact(input.account.accountId);
    const attendees = [...(isUnreached(owner) ? [] : [owner]), ...(contact ? [contact] : [])];
    const calendarFor = (reader: Recipient) =>
      reader.role === 'owner' || reader.role === 'contact'
        ? taskInvitation(input.event, input.task, {
            occurredAt: input.occurredAt,
            accountName: input.account.accountName,
            zone: reader.zone,
            domain: domainOf(this.channels.settings.smtpFrom),
            url: links.tasks,
            organizer: { name: 'Support SLA engine', email: addressOf(this.channels.settings.smtpFrom) },
            attendees,
          })
        : undefined;
    const invited: Recipient[] =
      contact && calendarMethodFor(input.event, input.task, input.occurredAt)
        ? [{ name: contact.name, email: contact.email, zone, locale: 'en-GB', role: 'contact', source: 'account' }]
        : [];
    const personal = this.channels.personTargets(
      [...people, ...invited],
      input.webhookId,
      (reader) => taskMessage(event, reader),
      calendarFor,
    );
    const targets = [
      ...this.channels.subscriberTargets(this.policy, input.event, input.webhookId, JSON.stringify(payload), () =>
        taskMessage(event, { name: center?.name ?? input.account.supportCenter, zone, locale: 'en-GB' }),
      ),
      ...personal.targets,
    ];
    const unreached = [...unresolved, ...personal.unreached];
    if (targets.length === 0) {
      this.sink.write({
        level: 'warn',
        msg: 'sla task notification undeliverable',
        time: new Date().toISOString(),
        ...payload,
        unreached,
      });
      throw ApplicationFailure.nonRetryable(
        `undeliverable: no channel reaches anyone for ${input.event} (${input.webhookId}): ${unreached.map((u) => `${u.role}: ${u.reason}`).join('; ')}`,
        'Undeliverable',
        { unreached },
      );
    }
    const { delivered, attempt } = await deliverEvent(this.sink, {
      event: input.event,
      webhookId: input.webhookId,
      targets,
      logMessage: 'sla task notification',
      logFields: { ...payload, unreached },
    });
    return { webhookId: input.webhookId, recipients, delivered, attempt, ...(unreached.length ? { unreached } : {}) };
  }

  /**
   * The task's owner as a person: a TAM (the account's current one, else the task's) from the
   * directory; a queue (the center's customer-success or support address) as the directory's holder
   * of that role, else the address itself in the center's zone.
   */
  private async ownerOf(input: TaskNotifyInput): Promise<Recipient | Unreached> {
    const directory = this.people.current();
    if (input.task.ownerKind === 'tam') {
      const tamId = (await this.tams.tamFor(input.account.accountId)) ?? input.task.owner;
      const person = directory.tam(tamId);
      return person
        ? { ...person, role: 'owner', source: 'directory' }
        : { role: 'owner', reason: `TAM ${tamId} is not in the people directory` };
    }
    const center = this.policy.center(input.account.supportCenter);
    const queueRole =
      (['customerSuccess', 'supportQueue'] as const).find((role) => center?.roles[role] === input.task.owner) ??
      'customerSuccess';
    const holder = directory.centerRole(this.policy, input.account.supportCenter, queueRole);
    return isUnreached(holder) ? holder : { ...holder, role: 'owner' };
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
      return {
        workflowId,
        action: 'skipped',
        reason: `contract year ${prepared.input.contractYear} ended ${prepared.input.end}`,
      };
    }
    return { workflowId, action: await startYearWorkflow(client, prepared.input) };
  }
}
