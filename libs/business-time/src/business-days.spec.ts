import { DateTime } from 'luxon';
import { businessDaysAfter, businessDaysBefore } from './business-days';
import { compileCalendar } from './calendar';
import { CENTERS } from './centers.fixture';

// Business days of the EMEA center (Helsinki, Finnish holidays), as health-check and review tasks use them.
const HEL = 'Europe/Helsinki';
const at = (iso: string) => DateTime.fromISO(iso, { zone: HEL }).toMillis();
const local = (ms: number) => DateTime.fromMillis(ms, { zone: HEL }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('business days of a center', () => {
  const emea = compileCalendar(CENTERS.emea);

  it('due: end of the 10th business day after the request day (holidays skipped)', () => {
    // Requested Mon 30 Nov 2026 -> Mon 14 Dec 17:00 (6 Dec, Independence Day, is a Sunday).
    expect(local(businessDaysAfter(emea, at('2026-11-30T19:00'), 10))).toBe('2026-12-14T17:00');
    // Over Christmas: 24 (Christmas Eve), 25, 26 Dec and 1, 6 Jan closed.
    expect(local(businessDaysAfter(emea, at('2026-12-21T10:00'), 10))).toBe('2027-01-08T17:00');
  });

  it('due from a review period start at local midnight (the creation day itself does not count)', () => {
    // Tue 1 Dec 2026 00:00 -> Tue 15 Dec 17:00 (6 Dec is a Sunday).
    expect(local(businessDaysAfter(emea, Date.parse('2026-11-30T22:00:00Z'), 10))).toBe('2026-12-15T17:00');
    // A period starting on a Sunday (1 Mar 2026): Mon 2 .. Fri 13 March.
    expect(local(businessDaysAfter(emea, Date.parse('2026-02-28T22:00:00Z'), 10))).toBe('2026-03-13T17:00');
  });

  it('reminder: the opening of the business day 2 business days before the scheduled day', () => {
    expect(local(businessDaysBefore(emea, at('2027-01-21T10:00'), 2))).toBe('2027-01-19T08:00'); // Thu -> Tue
    expect(local(businessDaysBefore(emea, at('2027-01-18T10:00'), 2))).toBe('2027-01-14T08:00'); // Mon -> Thu
  });
});
