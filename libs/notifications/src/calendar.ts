import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { Task } from '../../contracts/src/health-check';
import { localDate } from './local-time';

/** Length of a scheduled health check in calendars: remote 1 h, onsite half a day (docs/health-checks.md). */
export const CHECK_DURATION_MS: Record<'remote' | 'onsite', number> = { remote: 3_600_000, onsite: 4 * 3_600_000 };
const PROD_ID = { company: 'support-sla-engine', product: 'tasks', language: 'EN' };

export interface CalendarPerson {
  name: string;
  email: string;
}

/** One task as a calendar entry: a timed meeting (a scheduled health check) or an all-day due date. */
export interface CalendarEntry {
  /** Stable per task (`<taskId>@<domain>`): every invitation, update and cancellation of it shares it. */
  uid: string;
  summary: string;
  description: string;
  /** Timed: [start, end) instants. All-day: `date` (YYYY-MM-DD). */
  start?: string;
  end?: string;
  date?: string;
  url?: string;
}

export const calendarUid = (taskId: string, domain: string): string => `${taskId}@${domain}`;

/**
 * SEQUENCE of an invitation: whole seconds from the task's creation to the event (workflow time).
 * Every later revision of a task carries a larger number without the workflow keeping a counter,
 * and each retry of one delivery carries the same one; revisions within one second tie and are
 * ordered by DTSTAMP (RFC 5546 §2.1.5).
 */
export const calendarSequence = (createdAt: string, occurredAt: string): number =>
  Math.max(0, Math.floor((Date.parse(occurredAt) - Date.parse(createdAt)) / 1000));

/**
 * What a task looks like in a calendar, seen from `zone` (all-day dates fall on that zone's day):
 * a scheduled health check is a meeting; an account review, an unscheduled health check and the
 * yearly offer are all-day entries on their due date. Final tasks have none.
 */
export function calendarEntryFor(
  task: Task,
  accountName: string,
  zone: string,
  domain: string,
  url?: string,
): CalendarEntry | undefined {
  if (task.state === 'done' || task.state === 'closed' || task.state === 'expired') return undefined;
  const uid = calendarUid(task.taskId, domain);
  const base = { uid, ...(url ? { url } : {}) };
  if ((task.kind === 'remote' || task.kind === 'onsite') && task.scheduledFor) {
    const start = task.scheduledFor;
    return {
      ...base,
      summary: `${task.kind === 'remote' ? 'Remote' : 'Onsite'} health check: ${accountName}`,
      description: `${task.title} of ${accountName} (task ${task.taskId}).`,
      start,
      end: new Date(Date.parse(start) + CHECK_DURATION_MS[task.kind]).toISOString(),
    };
  }
  const verb =
    task.kind === 'review'
      ? 'Account review due'
      : task.kind === 'offer'
        ? 'Offer health checks by'
        : 'Schedule health check by';
  return {
    ...base,
    summary: `${verb}: ${accountName}`,
    description: `${task.title} of ${accountName} (task ${task.taskId}), due ${task.dueAt}.`,
    date: localDate(task.dueAt, zone),
  };
}

function addEntry(
  calendar: ReturnType<typeof ical>,
  entry: CalendarEntry,
  options: {
    sequence: number;
    stamp: string;
    status: ICalEventStatus;
    organizer?: CalendarPerson;
    attendees?: CalendarPerson[];
  },
) {
  const timing = entry.date
    ? { start: new Date(`${entry.date}T00:00:00Z`), allDay: true, floating: true }
    : { start: new Date(entry.start!), end: new Date(entry.end!) };
  calendar.createEvent({
    id: entry.uid,
    sequence: options.sequence,
    stamp: new Date(options.stamp),
    summary: entry.summary,
    description: entry.description,
    status: options.status,
    ...(entry.url ? { url: entry.url } : {}),
    ...timing,
    ...(options.organizer ? { organizer: { name: options.organizer.name, email: options.organizer.email } } : {}),
    attendees: (options.attendees ?? []).map((a) => ({
      name: a.name,
      email: a.email,
      rsvp: true,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
    })),
  });
}

/** An invitation (METHOD:REQUEST) or its cancellation (METHOD:CANCEL, STATUS:CANCELLED), RFC 5546. */
export function invitation(
  method: 'REQUEST' | 'CANCEL',
  entry: CalendarEntry,
  options: { sequence: number; stamp: string; organizer: CalendarPerson; attendees: CalendarPerson[] },
): string {
  const calendar = ical({
    prodId: PROD_ID,
    method: method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
  });
  addEntry(calendar, entry, {
    ...options,
    status: method === 'REQUEST' ? ICalEventStatus.CONFIRMED : ICalEventStatus.CANCELLED,
  });
  return calendar.toString();
}

/** A subscribable feed (METHOD:PUBLISH) of entries; `zone` is the reader's (X-WR-TIMEZONE). */
export function feed(name: string, zone: string, entries: CalendarEntry[], stamp: string): string {
  const calendar = ical({ prodId: PROD_ID, name, method: ICalCalendarMethod.PUBLISH, x: { 'X-WR-TIMEZONE': zone } });
  for (const entry of entries) addEntry(calendar, entry, { sequence: 0, stamp, status: ICalEventStatus.CONFIRMED });
  return calendar.toString();
}
