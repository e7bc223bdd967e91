import { join } from 'node:path';
import { DateTime } from 'luxon';
import { asCompiled } from '../../business-time/src/calendar';
import { loadPolicy } from './load';

/**
 * Issue 14, item 5: a fixed-date holiday that falls on a weekend is observed on a weekday, and
 * date-holidays' public set misses some of those (US Veterans Day: its observed day is typed `bank`
 * there). The default centers' calendars must close on the observed days.
 */
const policy = loadPolicy(join(__dirname, '..', '..', '..', 'config', 'sla-policy.yaml'));
const YEARS = Array.from({ length: 10 }, (_, i) => 2026 + i);

/** The local dates (YYYY-MM-DD) the center's calendar closes for a holiday in a year. */
function holidayDates(center: string, year: number): Set<string> {
  const zone = policy.center(center)!.calendar.zone;
  const from = DateTime.fromObject({ year, month: 1, day: 1 }, { zone }).toMillis();
  const to = DateTime.fromObject({ year: year + 1, month: 1, day: 1 }, { zone }).toMillis();
  return new Set(
    asCompiled(policy.calendar(center))
      .holidaySpans(from, to)
      .map((h) => h.date),
  );
}

describe('observed holidays of the default centers', () => {
  it('americas closes on Veterans Day observed: Fri 2028-11-10 and Mon 2029-11-12', () => {
    expect(holidayDates('americas', 2028).has('2028-11-10')).toBe(true);
    expect(holidayDates('americas', 2029).has('2029-11-12')).toBe(true);
  });

  // 5 U.S.C. 6103(b): a federal holiday on a Saturday is observed the Friday before, on a Sunday the
  // Monday after. The fixed-date federal holidays; the others are always on a Monday or a Thursday.
  it.each(YEARS)('americas closes on the observed day of every fixed-date federal holiday in %i', (year) => {
    const closed = new Set([
      ...holidayDates('americas', year - 1),
      ...holidayDates('americas', year),
      ...holidayDates('americas', year + 1),
    ]);
    const missing = ['01-01', '06-19', '07-04', '11-11', '12-25'].flatMap((md) => {
      const day = DateTime.fromISO(`${year}-${md}`);
      const observed = day.weekday === 6 ? day.minus({ days: 1 }) : day.weekday === 7 ? day.plus({ days: 1 }) : day;
      return closed.has(observed.toISODate()!) ? [] : [`${md} observed ${observed.toISODate()}`];
    });
    expect(missing).toEqual([]);
  });

  // Japan's substitute holiday (振替休日): a national holiday on a Sunday moves to the next day that is
  // not a holiday itself.
  it.each(YEARS)('apac closes on the substitute day of every Sunday holiday in %i', (year) => {
    const closed = new Set([...holidayDates('apac', year), ...holidayDates('apac', year + 1)]);
    const missing = [...holidayDates('apac', year)].flatMap((date) => {
      if (DateTime.fromISO(date).weekday !== 7) return [];
      let next = DateTime.fromISO(date).plus({ days: 1 });
      while (closed.has(next.toISODate()!) && next.toISODate() !== date) {
        // Consecutive holidays (Golden Week): the substitute is the first day after them.
        if (!closed.has(next.plus({ days: 1 }).toISODate()!)) return [];
        next = next.plus({ days: 1 });
      }
      return closed.has(next.toISODate()!) ? [] : [`${date} (Sunday) has no substitute on ${next.toISODate()}`];
    });
    expect(missing).toEqual([]);
  });
});
