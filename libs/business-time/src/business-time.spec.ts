import { CENTERS } from './centers.fixture';
import {
  CalendarConfig,
  CalendarConfigError,
  addBusinessTime,
  alwaysOpenCalendar,
  businessTimeBetween,
  closedDays,
  compileCalendar,
  explain,
  formatDuration,
  isOpen,
  nextClosing,
  nextOpening,
} from './index';

const H = 3_600_000;
const M = 60_000;
const at = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad iso ${iso}`);
  return t;
};
const emea = compileCalendar(CENTERS.emea);
const americas = compileCalendar(CENTERS.americas);
const apac = compileCalendar(CENTERS.apac);

describe('emea (Helsinki, Mon-Fri 08:00-17:00, FI + Midsummer Eve + Christmas Eve)', () => {
  it('SP2 Sev 3 entered Fri 2026-01-02 16:00 + 16h: Fri 1h, Mon 9h, Tue 6 Jan is Epiphany, Wed 6h -> Wed 14:00', () => {
    const start = at('2026-01-02T16:00:00+02:00');
    expect(addBusinessTime(emea, start, 16 * H)).toBe(at('2026-01-07T14:00:00+02:00'));
    const x = explain(emea, start, 16 * H);
    expect(x.summary).toBe(
      '16h of business hours from Fri 2026-01-02 16:00 EET: counted Fri 16:00–17:00 (1h), Mon 08:00–17:00 (9h), Wed 08:00–14:00 (6h); ' +
        'skipped Sat, Sun (weekend), Tue 2026-01-06 (holiday: Epiphany); due Wed 2026-01-07 14:00 EET',
    );
    expect(x.skipped).toEqual([
      { date: '2026-01-03', reason: 'weekend' },
      { date: '2026-01-04', reason: 'weekend' },
      { date: '2026-01-06', reason: 'holiday', name: 'Epiphany' },
    ]);
    expect(x.counted).toEqual([
      { from: '2026-01-02T16:00:00+02:00', to: '2026-01-02T17:00:00+02:00', ms: H },
      { from: '2026-01-05T08:00:00+02:00', to: '2026-01-05T17:00:00+02:00', ms: 9 * H },
      { from: '2026-01-07T08:00:00+02:00', to: '2026-01-07T14:00:00+02:00', ms: 6 * H },
    ]);
    expect(x).toMatchObject({
      zone: 'Europe/Helsinki',
      coverage: 'business-hours',
      start: '2026-01-02T16:00:00+02:00',
      due: '2026-01-07T14:00:00+02:00',
      durationMs: 16 * H,
      dstShifts: [],
    });
    expect(JSON.parse(JSON.stringify(x))).toEqual(x);
  });

  it('a due instant exactly at closing time stays at closing time (Fri 17:00, not Mon 08:00)', () => {
    expect(addBusinessTime(emea, at('2026-01-09T08:00:00+02:00'), 9 * H)).toBe(at('2026-01-09T17:00:00+02:00'));
    expect(addBusinessTime(emea, at('2026-01-08T16:00:00+02:00'), 10 * H)).toBe(at('2026-01-09T17:00:00+02:00'));
    expect(addBusinessTime(emea, at('2026-01-08T16:00:00+02:00'), 10 * H + 1)).toBe(
      at('2026-01-12T08:00:00.001+02:00'),
    );
  });

  it('an incident entered on Epiphany starts counting at the next opening', () => {
    const t = at('2026-01-06T10:00:00+02:00');
    expect(isOpen(emea, t)).toBe(false);
    expect(nextOpening(emea, t)).toBe(at('2026-01-07T08:00:00+02:00'));
    expect(addBusinessTime(emea, t, H)).toBe(at('2026-01-07T09:00:00+02:00'));
    expect(businessTimeBetween(emea, t, at('2026-01-07T09:00:00+02:00'))).toBe(H);
  });

  it('Christmas Eve and Midsummer Eve are closed; Christmas week rolls to Monday', () => {
    expect(isOpen(emea, at('2026-12-24T10:00:00+02:00'))).toBe(false);
    expect(isOpen(emea, at('2026-06-19T10:00:00+03:00'))).toBe(false);
    expect(isOpen(emea, at('2026-06-18T10:00:00+03:00'))).toBe(true);
    // Wed 23 Dec 16:00 + 2h: Wed 1h; Thu 24 (Christmas Eve), Fri 25, Sat 26 holidays, Sun; Mon 28 08:00 + 1h
    expect(addBusinessTime(emea, at('2026-12-23T16:00:00+02:00'), 2 * H)).toBe(at('2026-12-28T09:00:00+02:00'));
  });

  it('closedDays lists weekends, holidays with English names, over a range', () => {
    const days = closedDays(emea, at('2026-06-15T00:00:00+03:00'), at('2026-06-22T00:00:00+03:00'));
    expect(days).toEqual([
      { date: '2026-06-19', reason: 'holiday', name: 'Midsummer Eve' },
      { date: '2026-06-20', reason: 'holiday', name: 'Midsummer Day' },
      { date: '2026-06-21', reason: 'weekend' },
    ]);
  });

  it('explains a DST weekend (Europe, last Sunday of March)', () => {
    const x = explain(emea, at('2026-03-27T16:00:00+02:00'), 2 * H);
    expect(x.due).toBe('2026-03-30T09:00:00+03:00');
    expect(x.dstShifts).toEqual([
      {
        at: '2026-03-29T04:00:00+03:00',
        offsetBefore: '+02:00',
        offsetAfter: '+03:00',
        effect: expect.stringContaining('forward 1h at 03:00'),
      },
    ]);
    expect(x.summary).toContain('due Mon 2026-03-30 09:00 EEST');
  });
});

describe('americas (New York, Mon-Fri 08:00-18:00, US public)', () => {
  it('DST spring-forward weekend 2026-03-08 does not change business hours', () => {
    expect(addBusinessTime(americas, at('2026-03-06T17:00:00-05:00'), 2 * H)).toBe(at('2026-03-09T09:00:00-04:00'));
    expect(businessTimeBetween(americas, at('2026-03-06T17:00:00-05:00'), at('2026-03-09T09:00:00-04:00'))).toBe(2 * H);
  });
  it('DST fall-back weekend 2026-11-01', () => {
    expect(addBusinessTime(americas, at('2026-10-30T17:00:00-04:00'), 2 * H)).toBe(at('2026-11-02T09:00:00-05:00'));
    expect(businessTimeBetween(americas, at('2026-10-30T00:00:00-04:00'), at('2026-11-03T00:00:00-05:00'))).toBe(
      20 * H,
    );
  });
  it('Independence Day observed on Fri 2026-07-03 is closed', () => {
    expect(addBusinessTime(americas, at('2026-07-02T17:00:00-04:00'), 2 * H)).toBe(at('2026-07-06T09:00:00-04:00'));
    expect(closedDays(americas, at('2026-07-03T00:00:00-04:00'), at('2026-07-04T00:00:00-04:00'))).toEqual([
      { date: '2026-07-03', reason: 'holiday', name: 'Independence Day (substitute day)' },
    ]);
  });
});

describe('apac (Tokyo, Mon-Fri 09:00-18:00, JP public)', () => {
  it('Fri 17:00 + 4h skips the weekend and Coming of Age Day (Mon 2026-01-12)', () => {
    expect(addBusinessTime(apac, at('2026-01-09T17:00:00+09:00'), 4 * H)).toBe(at('2026-01-13T12:00:00+09:00'));
    expect(explain(apac, at('2026-01-09T17:00:00+09:00'), 4 * H).skipped.map((s) => s.reason)).toEqual([
      'weekend',
      'weekend',
      'holiday',
    ]);
  });
});

describe('24x7 coverage', () => {
  const spe = alwaysOpenCalendar('Europe/Helsinki');
  it('SPE Sev 1 at 03:00 Sunday + 1h = 04:00', () => {
    expect(addBusinessTime(spe, at('2026-01-04T03:00:00+02:00'), H)).toBe(at('2026-01-04T04:00:00+02:00'));
    expect(isOpen(spe, at('2026-01-04T03:00:00+02:00'))).toBe(true);
    expect(nextOpening(spe, 5)).toBe(5);
    expect(nextClosing(spe, 5)).toBe(Number.POSITIVE_INFINITY);
  });
  it('counts real hours across DST nights', () => {
    expect(addBusinessTime(spe, at('2026-03-29T00:00:00+02:00'), 24 * H)).toBe(at('2026-03-30T01:00:00+03:00'));
    expect(addBusinessTime(spe, at('2026-10-25T00:00:00+03:00'), 24 * H)).toBe(at('2026-10-25T23:00:00+02:00'));
    const x = explain(spe, at('2026-03-29T00:00:00+02:00'), 24 * H);
    expect(x.coverage).toBe('24x7');
    expect(x.dstShifts).toHaveLength(1);
    expect(closedDays(spe, 0, at('2027-01-01T00:00:00Z'))).toEqual([]);
  });
  it('ignores holidays/closures when alwaysOpen', () => {
    const cal = compileCalendar({ ...CENTERS.emea, alwaysOpen: true });
    expect(isOpen(cal, at('2026-12-24T10:00:00+02:00'))).toBe(true);
    expect(businessTimeBetween(cal, 0, 5 * H)).toBe(5 * H);
  });
});

describe('rules of the clock', () => {
  const sundayAllDay = compileCalendar({ zone: 'Europe/Helsinki', weekly: { sun: ['00:00-24:00'] } });
  it('rule 1: a 25-hour day open 00:00-24:00 counts 25h, a 23-hour day 23h', () => {
    expect(businessTimeBetween(sundayAllDay, at('2026-10-24T00:00:00Z'), at('2026-10-27T00:00:00Z'))).toBe(25 * H);
    expect(businessTimeBetween(sundayAllDay, at('2026-03-28T00:00:00Z'), at('2026-03-31T00:00:00Z'))).toBe(23 * H);
  });
  it('rule 1: 01:00-04:00 on the Helsinki spring-forward night counts 2h', () => {
    const cal = compileCalendar({ zone: 'Europe/Helsinki', weekly: { sun: ['01:00-04:00'] } });
    expect(businessTimeBetween(cal, at('2026-03-29T00:00:00+02:00'), at('2026-03-29T12:00:00+03:00'))).toBe(2 * H);
  });
  it('rule 4: a wall time in a DST gap means the instant the gap ends (03:30 -> 04:00 EEST)', () => {
    const cal = compileCalendar({ zone: 'Europe/Helsinki', weekly: { sun: ['03:30-05:00'] } });
    expect(nextOpening(cal, at('2026-03-29T00:00:00+02:00'))).toBe(at('2026-03-29T04:00:00+03:00'));
    expect(businessTimeBetween(cal, at('2026-03-29T00:00:00+02:00'), at('2026-03-29T12:00:00+03:00'))).toBe(H);
  });
  it('rule 4: an ambiguous wall time (fall-back) means its earlier occurrence', () => {
    const cal = compileCalendar({ zone: 'Europe/Helsinki', weekly: { sun: ['03:30-05:00'] } });
    expect(nextOpening(cal, at('2026-10-25T00:00:00+03:00'))).toBe(at('2026-10-25T03:30:00+03:00'));
    expect(nextClosing(cal, at('2026-10-25T00:00:00+03:00'))).toBe(at('2026-10-25T05:00:00+02:00'));
    expect(businessTimeBetween(cal, at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(2.5 * H);
  });
  it('Santiago: midnight does not exist on the spring-forward day (the day starts 01:00, 23h long)', () => {
    const cal = compileCalendar({ zone: 'America/Santiago', weekly: { sun: ['00:00-24:00'] } });
    expect(nextOpening(cal, at('2026-09-05T12:00:00-04:00'))).toBe(at('2026-09-06T01:00:00-03:00'));
    expect(nextClosing(cal, at('2026-09-05T12:00:00-04:00'))).toBe(at('2026-09-07T00:00:00-03:00'));
    expect(businessTimeBetween(cal, at('2026-09-01T00:00:00Z'), at('2026-09-10T00:00:00Z'))).toBe(23 * H);
  });
  it('Sydney: a business day across the April fall-back still counts 9h of 08:00-17:00', () => {
    const cal = compileCalendar({ zone: 'Australia/Sydney', weekly: { sun: ['00:00-24:00'], mon: ['08:00-17:00'] } });
    expect(businessTimeBetween(cal, at('2026-04-04T12:00:00Z'), at('2026-04-06T12:00:00Z'))).toBe(25 * H + 9 * H);
  });
  it('rule 3: duration 0 -> due = start, open or closed', () => {
    const closed = at('2026-01-03T12:00:00+02:00');
    expect(addBusinessTime(emea, closed, 0)).toBe(closed);
    expect(explain(emea, closed, 0).summary).toContain('nothing to count');
  });
  it('rule 5: partial-day holidays from date-holidays (DE Christmas Eve from 14:00) cut only that span', () => {
    const cal = compileCalendar({
      zone: 'Europe/Berlin',
      weekly: { thu: ['08:00-17:00'] },
      holidays: { country: 'DE', types: ['public', 'bank'] },
    });
    expect(businessTimeBetween(cal, at('2026-12-24T00:00:00+01:00'), at('2026-12-25T00:00:00+01:00'))).toBe(6 * H);
    expect(nextClosing(cal, at('2026-12-24T09:00:00+01:00'))).toBe(at('2026-12-24T14:00:00+01:00'));
    expect(closedDays(cal, at('2026-12-24T00:00:00+01:00'), at('2026-12-25T00:00:00+01:00'))).toEqual([
      { date: '2026-12-24', reason: 'holiday', name: 'Christmas Eve', partial: { from: '14:00', to: '24:00' } },
    ]);
  });
  it('rule 6: precedence weekly - holidays - closures + openings', () => {
    const cal = compileCalendar({
      ...CENTERS.emea,
      closures: [
        { date: '2026-01-08', reason: 'inventory' },
        { date: '2026-01-09', from: '12:00', to: '13:00' },
      ],
      openings: [
        { date: '2026-01-06', from: '10:00', to: '12:00', reason: 'Epiphany duty' },
        { date: '2026-01-08', from: '16:00', to: '18:00' },
      ],
    });
    expect(isOpen(cal, at('2026-01-06T10:30:00+02:00'))).toBe(true); // holiday, but an opening
    expect(isOpen(cal, at('2026-01-08T10:30:00+02:00'))).toBe(false); // closure
    expect(isOpen(cal, at('2026-01-08T17:30:00+02:00'))).toBe(true); // opening beats closure and extends the day
    expect(isOpen(cal, at('2026-01-09T12:30:00+02:00'))).toBe(false); // partial closure
    expect(businessTimeBetween(cal, at('2026-01-05T00:00:00+02:00'), at('2026-01-10T00:00:00+02:00'))).toBe(
      (9 + 2 + 9 + 2 + 8) * H,
    );
    expect(closedDays(cal, at('2026-01-08T00:00:00+02:00'), at('2026-01-10T00:00:00+02:00'))).toEqual([
      { date: '2026-01-08', reason: 'closure', name: 'inventory' },
      { date: '2026-01-09', reason: 'closure', partial: { from: '12:00', to: '13:00' } },
    ]);
  });
  it('rule 7: a midnight-crossing interval belongs to its starting day; a holiday removes only its own span', () => {
    const cfg: CalendarConfig = { zone: 'Europe/Helsinki', weekly: { fri: ['22:00-06:00'] } };
    const cal = compileCalendar(cfg);
    expect(addBusinessTime(cal, at('2026-01-09T23:00:00+02:00'), 2 * H)).toBe(at('2026-01-10T01:00:00+02:00'));
    expect(nextClosing(cal, at('2026-01-09T23:00:00+02:00'))).toBe(at('2026-01-10T06:00:00+02:00'));
    const closedFri = compileCalendar({ ...cfg, closures: [{ date: '2026-01-09' }] });
    expect(isOpen(closedFri, at('2026-01-09T23:00:00+02:00'))).toBe(false);
    expect(isOpen(closedFri, at('2026-01-10T01:00:00+02:00'))).toBe(true);
    const fiHolidays = compileCalendar({
      zone: 'Europe/Helsinki',
      weekly: { mon: ['22:00-06:00'] },
      holidays: { country: 'FI' },
    });
    // Mon 2026-01-05 22:00 -> Tue 06:00 with Tue 6 Jan (Epiphany): only Mon 22:00-24:00 counts
    expect(businessTimeBetween(fiHolidays, at('2026-01-05T00:00:00+02:00'), at('2026-01-07T00:00:00+02:00'))).toBe(
      2 * H,
    );
  });
  it('spans that touch across midnight are one open span for nextClosing', () => {
    const cal = compileCalendar({ zone: 'UTC', weekly: { mon: ['20:00-24:00'], tue: ['00:00-04:00'] } });
    expect(nextClosing(cal, at('2026-01-05T21:00:00Z'))).toBe(at('2026-01-06T04:00:00Z'));
    expect(nextClosing(cal, at('2026-01-05T10:00:00Z'))).toBe(at('2026-01-06T04:00:00Z'));
    const sunMon = compileCalendar({ zone: 'UTC', weekly: { sun: ['22:00-02:00'], mon: ['02:00-03:00'] } });
    expect(nextClosing(sunMon, at('2026-01-04T23:00:00Z'))).toBe(at('2026-01-05T03:00:00Z'));
  });
  it('millisecond precision', () => {
    expect(addBusinessTime(emea, at('2026-01-05T16:59:59.999+02:00'), 2)).toBe(at('2026-01-07T08:00:00.001+02:00'));
    expect(businessTimeBetween(emea, at('2026-01-05T16:59:59.999+02:00'), at('2026-01-07T08:00:00.001+02:00'))).toBe(2);
  });
  it('a year-long span', () => {
    const s = at('2026-01-01T00:00:00+02:00');
    const due = addBusinessTime(emea, s, 2000 * H);
    expect(businessTimeBetween(emea, s, due)).toBe(2000 * H);
  });
  it('nextOpening/nextClosing on a calendar with no open time return +Infinity; add throws', () => {
    const cal = compileCalendar({ zone: 'UTC', openings: [{ date: '2026-01-05', from: '10:00', to: '11:00' }] });
    expect(nextOpening(cal, at('2026-01-05T10:30:00Z'))).toBe(at('2026-01-05T10:30:00Z'));
    expect(nextClosing(cal, at('2026-01-05T10:30:00Z'))).toBe(at('2026-01-05T11:00:00Z'));
    expect(nextOpening(cal, at('2026-01-06T00:00:00Z'))).toBe(Number.POSITIVE_INFINITY);
    expect(() => addBusinessTime(cal, at('2026-01-05T10:30:00Z'), 2 * H)).toThrow(RangeError);
  });
  it('rejects bad input instants', () => {
    expect(() => addBusinessTime(emea, NaN, H)).toThrow(RangeError);
    expect(() => addBusinessTime(emea, 0, -1)).toThrow(RangeError);
    expect(businessTimeBetween(emea, 10, 5)).toBe(0);
  });
});

describe('compileCalendar validation', () => {
  const issues = (cfg: unknown) => {
    try {
      compileCalendar(cfg as CalendarConfig);
    } catch (e) {
      expect(e).toBeInstanceOf(CalendarConfigError);
      return (e as CalendarConfigError).issues.map((i) => i.path);
    }
    return [];
  };
  it('names every bad field', () => {
    expect(
      issues({
        zone: 'Mars/Olympus',
        weekly: {
          mon: ['08:00-12:00', '11:00-13:00', '8:00-9:00'],
          tue: ['10:00-10:00', '25:00-26:00'],
          fri: ['22:00-06:00'],
          sat: ['05:00-07:00'],
          xyz: [],
        },
        closures: [{ date: '2026-02-30' }, { date: '2026-03-01', from: '12:00', to: '11:00' }],
        openings: [{ date: 'tomorrow', from: '10:00', to: '11:00' }],
      }),
    ).toEqual([
      'zone',
      'weekly.mon[2]',
      'weekly.tue[0]',
      'weekly.tue[1]',
      'weekly.xyz',
      'weekly.mon[1]',
      'weekly.sat[0]',
      'closures[0].date',
      'closures[1].to',
      'openings[0].date',
    ]);
  });
  it('unknown country / state', () => {
    expect(issues({ zone: 'UTC', holidays: { country: 'XX' } })).toEqual(['holidays.country']);
    expect(issues({ zone: 'UTC', holidays: { country: 'US', state: 'ZZ' } })).toEqual(['holidays.state']);
    expect(issues({ zone: 'America/New_York', holidays: { country: 'US', state: 'NY' } })).toEqual([]);
  });
  it('a Sunday interval crossing midnight into Monday overlaps Monday morning', () => {
    expect(issues({ zone: 'UTC', weekly: { sun: ['23:00-02:00'], mon: ['01:00-03:00'] } })).toEqual(['weekly.mon[0]']);
    expect(issues({ zone: 'UTC', weekly: { sun: ['23:00-02:00'], mon: ['02:00-03:00'] } })).toEqual([]);
  });
  it('CalendarConfigError message lists the issues', () => {
    expect(() => compileCalendar({ zone: 'Nope/Nope' })).toThrow(/zone: unknown IANA zone/);
  });
});

describe('formatDuration', () => {
  it.each([
    [16 * H, '16h'],
    [2.5 * H, '2h 30m'],
    [H + 5000, '1h 0m 5s'],
    [45 * M, '45m'],
    [1250, '1s 250ms'],
    [0, '0s'],
    [40 * H, '40h'],
  ])('%d ms -> %s', (ms, s) => expect(formatDuration(ms)).toBe(s));
});
