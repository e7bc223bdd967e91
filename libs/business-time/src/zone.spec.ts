import { DateTime, IANAZone } from 'luxon';
import { luxonZone } from './zone';

// ClockZone must be indistinguishable from luxon's IANAZone in everything explanations print:
// ISO strings, offsets, abbreviations in both locales explain.ts asks for, localized weekday/month.
// Zones with offset changes in the sampled years (Lord Howe's is 30 minutes) and without.
const DST_ZONES = [
  'Europe/Helsinki',
  'America/New_York',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Africa/Casablanca',
];
const ZONES = [...DST_ZONES, 'Asia/Kolkata', 'America/Sao_Paulo', 'UTC'];
const FROM = Date.UTC(2025, 0, 1);
const TO = Date.UTC(2026, 11, 31);
const MINUTE = 60_000;

function rendered(ms: number, zone: string | ReturnType<typeof luxonZone>) {
  const d = DateTime.fromMillis(ms, { zone });
  return [
    d.toISO(),
    d.offset,
    d.setLocale('en-US').toFormat('ZZZZ'),
    d.setLocale('en-GB').toFormat('ZZZZ'),
    d.setLocale('en-US').toFormat('ZZZZZ'),
    d.toFormat('ccc d LLL yyyy HH:mm:ss ZZ'),
    d.weekday,
  ];
}

/** Instants every ~9 h over two years, plus every minute around each offset change. */
function samples(zone: string): { points: number[]; changes: number } {
  const iana = IANAZone.create(zone);
  const points: number[] = [];
  let changes = 0;
  const step = 9 * 3_600_000 + 17 * MINUTE + 7_000;
  for (let t = FROM; t < TO; t += step) {
    points.push(t);
    if (iana.offset(t) !== iana.offset(t + step)) {
      changes++;
      for (let u = t - 45 * MINUTE; u <= t + step + 45 * MINUTE; u += MINUTE) points.push(u);
    }
  }
  return { points, changes };
}

describe('luxonZone (ClockZone)', () => {
  it.each(ZONES)('renders %s exactly as luxon IANAZone does', (zone) => {
    const mismatches: string[] = [];
    const { points, changes } = samples(zone);
    for (const t of points) {
      const expected = JSON.stringify(rendered(t, zone));
      const actual = JSON.stringify(rendered(t, luxonZone(zone)));
      if (expected !== actual) mismatches.push(`${new Date(t).toISOString()}: ${actual} != ${expected}`);
    }
    if (DST_ZONES.includes(zone)) expect(changes).toBeGreaterThanOrEqual(4);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('falls back to luxon (invalid DateTimes) for a name that is no zone', () => {
    expect(DateTime.fromMillis(0, { zone: luxonZone('Mars/Olympus') }).isValid).toBe(false);
  });

  it('is one zone per name, equal to luxon IANAZone of that name', () => {
    expect(luxonZone('Europe/Helsinki')).toBe(luxonZone('Europe/Helsinki'));
    expect(luxonZone('Europe/Helsinki').equals(IANAZone.create('Europe/Helsinki'))).toBe(true);
    expect(IANAZone.create('Europe/Helsinki').equals(luxonZone('Europe/Helsinki'))).toBe(true);
  });
});
