// Business days of a center's calendar: a local date with open time counts, whatever its hours.
// Task dues (end of the n-th business day) and reminders (opening of the n-th day before) use them.
import { DateTime } from 'luxon';
import type { Calendar } from './calendar';
import { nextClosing, nextOpening } from './ops';

/** Whether the calendar has open time on local day `day` (a DateTime at 00:00 local). */
function openSpan(calendar: Calendar, day: DateTime): { open: number; close: number } | undefined {
  const from = day.toMillis();
  const to = day.plus({ days: 1 }).toMillis();
  const open = nextOpening(calendar, from);
  if (!(open < to)) return undefined;
  // The last closing of the day: follow the open spans until one ends after the day.
  let close = Math.min(nextClosing(calendar, open), to);
  for (let next = nextOpening(calendar, close); next < to; next = nextOpening(calendar, close)) {
    close = Math.min(nextClosing(calendar, next), to);
  }
  return { open, close };
}

/**
 * The end of the `days`-th business day after the day of `fromMs` (a business day is a local date
 * with open time; the request day itself does not count). Due instants land on a closing time.
 */
export function businessDaysAfter(calendar: Calendar, fromMs: number, days: number): number {
  let day = DateTime.fromMillis(fromMs, { zone: calendar.zone }).startOf('day');
  let counted = 0;
  for (let i = 0; i < 3660; i++) {
    day = day.plus({ days: 1 });
    const span = openSpan(calendar, day);
    if (!span) continue;
    counted += 1;
    if (counted === days) return span.close;
  }
  throw new RangeError('not enough business days within ten years');
}

/**
 * The opening of the business day `days` business days before the local day of `dateMs`
 * (scheduled Thursday -> Tuesday's opening; scheduled Monday -> the previous Thursday's).
 */
export function businessDaysBefore(calendar: Calendar, dateMs: number, days: number): number {
  let day = DateTime.fromMillis(dateMs, { zone: calendar.zone }).startOf('day');
  let counted = 0;
  for (let i = 0; i < 3660; i++) {
    day = day.minus({ days: 1 });
    const span = openSpan(calendar, day);
    if (!span) continue;
    counted += 1;
    if (counted === days) return span.open;
  }
  throw new RangeError('not enough business days within ten years');
}
