import { DateTime } from 'luxon';
import { compileCalendar } from '../libs/business-time/src';
import { CENTERS } from '../libs/business-time/src/centers.fixture';
import {
  anniversaryMonthDay,
  businessDaysAfter,
  businessDaysBefore,
  contractYearAt,
  parseScheduledDate,
  scheduleSpecFor,
} from './health-check-cycle';
import { scheduledTimeOf } from '../workflows/health-check/health-check-starter.workflow';

const HEL = 'Europe/Helsinki';
const at = (iso: string) => DateTime.fromISO(iso, { zone: HEL }).toMillis();
const local = (ms: number) => DateTime.fromMillis(ms, { zone: HEL }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('contract years', () => {
  it('run from anniversary to anniversary at 00:00 in the center zone', () => {
    expect(contractYearAt('2025-03-01', HEL, at('2026-11-30T12:00'))).toEqual({
      contractYear: 2026,
      start: '2026-02-28T22:00:00.000Z',
      end: '2027-02-28T22:00:00.000Z',
    });
    expect(contractYearAt('2025-03-01', HEL, at('2026-02-28T23:59'))?.contractYear).toBe(2025);
    expect(contractYearAt('2025-03-01', HEL, at('2026-03-01T00:00'))?.contractYear).toBe(2026);
    expect(contractYearAt('2025-03-01', HEL, at('2025-02-28T12:00'))).toBeUndefined();
  });

  it('put the anniversary of a 29 February start on 28 February every later year', () => {
    expect(anniversaryMonthDay('2024-02-29')).toEqual({ month: 2, day: 28 });
    expect(scheduleSpecFor('2024-02-29', HEL)).toMatchObject({ month: 2, day: 28, hour: 9 });
    // The first year starts on the 29th itself; later ones on the 28th (leap years too).
    expect(contractYearAt('2024-02-29', HEL, at('2024-02-29T10:00'))?.contractYear).toBe(2024);
    expect(contractYearAt('2024-02-29', HEL, at('2025-02-28T09:00'))?.contractYear).toBe(2025);
    expect(contractYearAt('2024-02-29', HEL, at('2028-02-28T09:00'))?.contractYear).toBe(2028);
    expect(contractYearAt('2024-02-29', HEL, at('2028-02-27T23:00'))?.contractYear).toBe(2027);
  });

  it('derive the scheduled time from the starter workflow ID the schedule assigns', () => {
    expect(scheduledTimeOf('health-checks/acme-2027-03-01T07:00:00Z', 0)).toBe('2027-03-01T07:00:00.000Z');
    expect(scheduledTimeOf('health-checks/my-acct-2', Date.parse('2026-05-01T00:00:00Z'))).toBe('2026-05-01T00:00:00.000Z');
  });
});

describe('business days of a center', () => {
  const emea = compileCalendar(CENTERS.emea);

  it('due: end of the 10th business day after the request day (holidays skipped)', () => {
    // Requested Mon 30 Nov 2026 -> Mon 14 Dec 17:00 (6 Dec, Independence Day, is a Sunday).
    expect(local(businessDaysAfter(emea, at('2026-11-30T19:00'), 10))).toBe('2026-12-14T17:00');
    // Over Christmas: 24 (Christmas Eve), 25, 26 Dec and 1, 6 Jan closed.
    expect(local(businessDaysAfter(emea, at('2026-12-21T10:00'), 10))).toBe('2027-01-08T17:00');
  });

  it('reminder: the opening of the business day 2 business days before the scheduled day', () => {
    expect(local(businessDaysBefore(emea, at('2027-01-21T10:00'), 2))).toBe('2027-01-19T08:00'); // Thu -> Tue
    expect(local(businessDaysBefore(emea, at('2027-01-18T10:00'), 2))).toBe('2027-01-14T08:00'); // Mon -> Thu
  });

  it('scheduled dates: a date means 09:00 local, an instant needs an offset', () => {
    expect(local(parseScheduledDate('2027-01-20', HEL)!)).toBe('2027-01-20T09:00');
    expect(parseScheduledDate('2027-01-20T10:00:00Z', HEL)).toBe(Date.parse('2027-01-20T10:00:00Z'));
    expect(parseScheduledDate('2027-01-20T10:00:00', HEL)).toBeUndefined();
    expect(parseScheduledDate('2027-02-30', HEL)).toBeUndefined();
  });
});
