import type { Task } from '../../contracts/src/health-check';
import { centerAndReaderTime, Reader } from './local-time';
import { headlineOf, NotificationMessage } from './message';

/** A task event as the task notification activity knows it. */
export interface TaskEvent {
  event: string;
  webhookId: string;
  occurredAt: string;
  account: { accountId: string; accountName: string; planId: string; supportCenter: string; contractYear: number };
  centerZone: string;
  task: Task;
  /** The workflow's sentence for the event ("... scheduled for 2026-03-04T07:00:00.000Z"). */
  message: string;
  links: { tasks?: string; workflow?: string };
}

export function taskMessage(input: TaskEvent, reader: Reader): NotificationMessage {
  const { task, account } = input;
  const scheduledFor = 'scheduledFor' in task ? task.scheduledFor : null;
  const headline = `${headlineOf(input.event)}: ${task.title} (${account.accountName})`;
  return {
    event: input.event,
    family: 'task',
    headline,
    title: `[SLA task] ${headlineOf(input.event)} · ${account.accountName} · ${task.title}`,
    facts: [
      { label: 'Task', value: `${task.title} (${task.taskId})` },
      { label: 'Account', value: `${account.accountName} (${account.accountId}, plan ${account.planId})` },
      { label: 'Contract year', value: String(account.contractYear) },
      { label: 'State', value: task.state },
      ...(scheduledFor
        ? [{ label: 'Scheduled for', value: centerAndReaderTime(scheduledFor, input.centerZone, reader) }]
        : []),
      { label: 'Due', value: centerAndReaderTime(task.dueAt, input.centerZone, reader) },
      { label: 'Owner', value: task.owner },
    ],
    lines: [input.message],
    links: [
      ...(input.links.tasks ? [{ label: 'Tasks', url: input.links.tasks }] : []),
      ...(input.links.workflow ? [{ label: 'Workflow in the Temporal UI', url: input.links.workflow }] : []),
    ],
    webhookId: input.webhookId,
    vars: {
      taskId: task.taskId,
      taskTitle: task.title,
      accountId: account.accountId,
      accountName: account.accountName,
      state: task.state,
      scheduledFor: scheduledFor ? centerAndReaderTime(scheduledFor, input.centerZone, reader) : '',
      due: centerAndReaderTime(task.dueAt, input.centerZone, reader),
      recipientName: reader.name,
    },
  };
}
