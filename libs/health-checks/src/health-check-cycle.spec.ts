import { DateTime } from 'luxon';
import { anniversaryMonthDay, contractYearAt, parseScheduledDate, scheduleSpecFor } from './health-check-cycle';

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
});

describe('scheduled dates', () => {
  it('a date means 09:00 local, an instant needs an offset', () => {
    expect(local(parseScheduledDate('2027-01-20', HEL)!)).toBe('2027-01-20T09:00');
    expect(parseScheduledDate('2027-01-20T10:00:00Z', HEL)).toBe(Date.parse('2027-01-20T10:00:00Z'));
    expect(parseScheduledDate('2027-01-20T10:00:00', HEL)).toBeUndefined();
    expect(parseScheduledDate('2027-02-30', HEL)).toBeUndefined();
  });
});
