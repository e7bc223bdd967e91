import type { Task } from '../libs/contracts/src/health-check';
import { TASK_EVENTS } from '../libs/contracts/src/health-check';
import {
  calendarEntryFor,
  calendarSequence,
  CalendarEntry,
  CalendarPerson,
  invitation,
} from '../libs/notifications/src';

/**
 * Which calendar message a task event sends (RFC 5546): an invitation when a health check is
 * scheduled or rescheduled, or an account review is created (an all-day entry on its due date); a
 * cancellation when such a task closes or expires, or completes before its date. Other events send
 * none.
 */
export function calendarMethodFor(event: string, task: Task, occurredAt: string): 'REQUEST' | 'CANCEL' | undefined {
  const isCheck = task.kind === 'remote' || task.kind === 'onsite';
  const hasEntry = (isCheck && task.scheduledFor !== null) || task.kind === 'review';
  if (!hasEntry) return undefined;
  if (event === TASK_EVENTS.scheduled && isCheck) return 'REQUEST';
  if (event === TASK_EVENTS.created && task.kind === 'review') return 'REQUEST';
  if (event === TASK_EVENTS.closed || event === TASK_EVENTS.expired) return 'CANCEL';
  if (event === TASK_EVENTS.completed) {
    const startsAt = isCheck ? Date.parse(task.scheduledFor!) : Date.parse(task.dueAt);
    return startsAt > Date.parse(occurredAt) ? 'CANCEL' : undefined;
  }
  return undefined;
}

/**
 * The .ics of a task event for its attendees, or undefined. A cancellation describes the entry the
 * task had while active, so it is built as if the task were still open.
 */
export function taskInvitation(
  event: string,
  task: Task,
  input: {
    occurredAt: string;
    accountName: string;
    zone: string;
    domain: string;
    url?: string;
    organizer: CalendarPerson;
    attendees: CalendarPerson[];
  },
): { method: 'REQUEST' | 'CANCEL'; content: string } | undefined {
  const method = calendarMethodFor(event, task, input.occurredAt);
  if (!method) return undefined;
  const asActive = { ...task, state: task.kind === 'review' ? 'open' : 'scheduled' } as Task;
  const entry: CalendarEntry | undefined = calendarEntryFor(
    asActive,
    input.accountName,
    input.zone,
    input.domain,
    input.url,
  );
  if (!entry) return undefined;
  const content = invitation(method, entry, {
    sequence: calendarSequence(task.createdAt, input.occurredAt),
    stamp: input.occurredAt,
    organizer: input.organizer,
    attendees: input.attendees,
  });
  return { method, content };
}
