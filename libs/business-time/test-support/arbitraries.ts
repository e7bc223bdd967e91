/** fast-check arbitraries for random calendars and instants concentrated around interesting times. */
import Holidays from 'date-holidays';
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import type { CalendarConfig, Weekday } from '../src';
import { Oracle } from './oracle';

const WD: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface ZoneSpec {
  zone: string;
  holidays?: CalendarConfig['holidays'];
}
export const ZONES: ZoneSpec[] = [
  {
    zone: 'Europe/Helsinki',
    holidays: {
      country: 'FI',
      extra: [
        { rule: 'friday after 06-19', name: 'Midsummer Eve' },
        { rule: '12-24', name: 'Christmas Eve' },
      ],
    },
  },
  { zone: 'America/New_York', holidays: { country: 'US' } },
  { zone: 'Australia/Sydney', holidays: { country: 'AU', state: 'NSW' } },
  { zone: 'America/Santiago', holidays: { country: 'CL' } },
  { zone: 'Asia/Tokyo', holidays: { country: 'JP' } },
  { zone: 'UTC', holidays: { country: 'GB' } },
];
/** German bank "holidays" include partial days starting 14:00 (Christmas Eve, New Year's Eve). */
const PARTIAL_HOLIDAYS: CalendarConfig['holidays'] = { country: 'DE', types: ['public', 'bank'] };

const YEARS = [2025, 2026, 2027];

function transitions(zone: string): number[] {
  const z = IANAZone.create(zone);
  const out: number[] = [];
  const from = Date.UTC(YEARS[0], 0, 1);
  const to = Date.UTC(YEARS[YEARS.length - 1] + 1, 0, 1);
  for (let t = from; t < to; t += 6 * 3_600_000) {
    const a = z.offset(t);
    if (a !== z.offset(t + 6 * 3_600_000)) {
      let lo = t;
      let hi = t + 6 * 3_600_000;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (z.offset(mid) === a) lo = mid;
        else hi = mid;
      }
      out.push(hi);
    }
  }
  return out;
}

function holidayInstants(zone: string, h: CalendarConfig['holidays']): number[] {
  if (!h) return [];
  const hd = new Holidays(h.country, h.state ?? '', { timezone: zone, types: h.types ?? ['public'] } as never);
  const out: number[] = [];
  for (const y of YEARS) for (const x of hd.getHolidays(y)) out.push(x.start.getTime(), x.end.getTime());
  return out;
}

const interestingCache = new Map<string, { dst: number[]; hol: number[] }>();
function interesting(zs: ZoneSpec): { dst: number[]; hol: number[] } {
  let v = interestingCache.get(zs.zone);
  if (!v) {
    v = {
      dst: transitions(zs.zone),
      hol: holidayInstants(zs.zone, zs.holidays).concat(holidayInstants(zs.zone, PARTIAL_HOLIDAYS)),
    };
    interestingCache.set(zs.zone, v);
  }
  return v;
}

/** How far the generator looks for an exact opening or closing (minutes). */
const EDGE_LOOKAHEAD_MIN = 14 * 1440;

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export interface Case {
  config: CalendarConfig;
  start: number;
  duration: number;
  span: number; // for between(start, start + span)
  weeklyOpenMinutes: number;
  note: string;
}

const pointsArb = fc.uniqueArray(fc.integer({ min: 0, max: 10080 / 5 - 1 }), { minLength: 2, maxLength: 14 });
const jitterArb = fc.oneof(
  fc.constant(0),
  fc.constantFrom(-1, 1, -60_000, 60_000, -1_800_000, 1_800_000, -3_600_000, 3_600_000),
  fc.integer({ min: -36 * 60, max: 36 * 60 }).map((m) => m * 60_000),
  fc.integer({ min: -36 * 3_600_000, max: 36 * 3_600_000 }),
);
const dayPartArb = fc.record({
  dayOff: fc.integer({ min: -3, max: 16 }),
  whole: fc.boolean(),
  a: fc.integer({ min: 0, max: 287 }),
  len: fc.integer({ min: 1, max: 288 }),
});

export const caseArb: fc.Arbitrary<Case> = fc
  .record({
    zoneIdx: fc.integer({ min: 0, max: ZONES.length - 1 }),
    points: pointsArb,
    wrap: fc.boolean(),
    holidayMode: fc.constantFrom('none', 'native', 'native', 'partial'),
    anchorKind: fc.constantFrom('dst', 'dst', 'midnight', 'holiday', 'edge', 'random'),
    pick: fc.nat(),
    jitter: jitterArb,
    dstEdges: fc.array(fc.integer({ min: -18, max: 18 }), { minLength: 1, maxLength: 2 }),
    closures: fc.array(dayPartArb, { maxLength: 3 }),
    openings: fc.array(dayPartArb, { maxLength: 2 }),
    durKind: fc.constantFrom('zero', 'ms', 'minutes', 'hours', 'small'),
    durFrac: fc.integer({ min: 0, max: 1_000_000 }),
    spanMs: fc.integer({ min: 0, max: 10 * 86_400_000 }),
    // Exact edges (issue 14, item 16): a start moved to the next opening or closing instant, and a
    // duration that ends exactly at a closing (the first or second one after the start).
    startEdge: fc.constantFrom('none', 'none', 'opening', 'closing'),
    dueAtClosing: fc.constantFrom(0, 0, 1, 2),
  })
  .map((r) => {
    const zs = ZONES[r.zoneIdx];
    // anchor
    const int = interesting(zs);
    const randomT = Date.UTC(2025, 0, 1) + (r.pick % (3 * 365 * 1440)) * 60_000;
    let base: number;
    switch (r.anchorKind) {
      case 'dst':
        base = int.dst.length ? int.dst[r.pick % int.dst.length] : randomT;
        break;
      case 'holiday':
        base = int.hol.length ? int.hol[r.pick % int.hol.length] : randomT;
        break;
      case 'midnight':
        base = DateTime.fromMillis(randomT, { zone: zs.zone }).startOf('day').toMillis();
        break;
      case 'edge': {
        const d = DateTime.fromMillis(randomT, { zone: zs.zone }).startOf('week');
        const p = r.points[r.pick % r.points.length] * 5;
        base = d
          .plus({ days: Math.floor(p / 1440) })
          .set({ hour: Math.floor((p % 1440) / 60), minute: p % 60 })
          .toMillis();
        break;
      }
      default:
        base = randomT;
    }
    // weekly intervals from sorted points on the week line (minutes from Monday 00:00)
    let pts = r.points.map((p) => p * 5);
    if (r.anchorKind === 'dst') {
      // put weekly edges into the DST gap / repeated hour: wall time of the transition (old offset) +- up to 90 min
      const before = DateTime.fromMillis(base - 1, { zone: zs.zone });
      const w = (before.weekday - 1) * 1440 + before.hour * 60 + before.minute + 1;
      for (const k of r.dstEdges) pts.push((((w + k * 5) % 10080) + 10080) % 10080);
      pts = [...new Set(pts.map((p) => Math.floor(p / 5) * 5))];
    }
    pts.sort((a, b) => a - b);
    const weekly: Partial<Record<Weekday, string[]>> = {};
    let openMin = 0;
    const add = (a: number, b: number): void => {
      const day = Math.floor(a / 1440);
      const s = a - day * 1440;
      let e = b - day * 1440;
      let text: string;
      if (s === 0 && e >= 1440) {
        e = 1440;
        text = '00:00-24:00';
      } else {
        if (e - s >= 1440) e = s + 1435;
        text = `${hhmm(s)}-${e === 1440 ? '24:00' : hhmm(e % 1440)}`;
      }
      openMin += e - s;
      (weekly[WD[day]] ??= []).push(text);
    };
    for (let i = 0; i + 1 < pts.length; i += 2) add(pts[i], pts[i + 1]);
    const lastEnd = pts.length % 2 === 0 ? pts[pts.length - 1] : pts[pts.length - 2];
    if (r.wrap && lastEnd < 10080 - 10 && pts[0] >= 5)
      add(Math.max(lastEnd, 10080 - 180), 10080 + Math.min(pts[0], 120));
    if (openMin === 0) {
      weekly.wed = ['09:00-17:00'];
      openMin = 480;
    }
    const holidays =
      r.holidayMode === 'none' ? undefined : r.holidayMode === 'partial' ? PARTIAL_HOLIDAYS : zs.holidays;
    const start = base + r.jitter;
    const localDay = DateTime.fromMillis(start, { zone: zs.zone }).startOf('day');
    const dayPart = (x: { dayOff: number; whole: boolean; a: number; len: number }) => {
      const date = localDay.plus({ days: x.dayOff }).toISODate() as string;
      const a = x.a * 5;
      const b = Math.min(1440, a + x.len * 5);
      return { date, from: hhmm(a), to: b === 1440 ? '24:00' : hhmm(b), whole: x.whole };
    };
    const closures = r.closures
      .map(dayPart)
      .map((c) => (c.whole ? { date: c.date, reason: 'test closure' } : { date: c.date, from: c.from, to: c.to }));
    const openings = r.openings.map(dayPart).map((o) => ({ date: o.date, from: o.from, to: o.to }));
    const config: CalendarConfig = { zone: zs.zone, weekly, holidays, closures, openings };
    // durations bounded by the calendar's density so that the minute-walking oracle stays fast
    const bound = Math.min(60 * 3_600_000, openMin * 2 * 60_000);
    let duration: number;
    const f = r.durFrac / 1_000_000;
    switch (r.durKind) {
      case 'ms':
        duration = Math.floor(bound * f);
        break;
      case 'minutes':
        duration = Math.floor((bound * f) / 60_000) * 60_000;
        break;
      case 'hours':
        duration = Math.floor((bound * f) / 3_600_000) * 3_600_000;
        break;
      case 'small':
        duration = Math.floor(Math.min(bound, 4 * 3_600_000) * f);
        break;
      default:
        duration = 0;
    }
    // Exact edges, found by the minute-walking oracle (not by the library under test).
    let edgeStart = start;
    let oracle: Oracle | undefined;
    if (r.startEdge !== 'none' || r.dueAtClosing > 0) oracle = new Oracle(config);
    if (oracle && r.startEdge !== 'none') {
      edgeStart =
        (r.startEdge === 'opening'
          ? oracle.nextOpening(start, EDGE_LOOKAHEAD_MIN)
          : oracle.nextClosing(start, EDGE_LOOKAHEAD_MIN)) ?? start;
    }
    if (oracle && r.dueAtClosing > 0) {
      let closing: number | undefined = edgeStart;
      for (let k = 0; k < r.dueAtClosing && closing !== undefined; k++)
        closing = oracle.nextClosing(closing + (k === 0 ? 0 : 1), EDGE_LOOKAHEAD_MIN);
      const toClosing = closing === undefined ? 0 : oracle.between(edgeStart, closing);
      if (toClosing > 0 && toClosing <= bound) duration = toClosing;
    }
    const edges = `${r.startEdge === 'none' ? '' : `/start@${r.startEdge}`}${r.dueAtClosing > 0 ? `/due@closing${r.dueAtClosing}` : ''}`;
    return {
      config,
      start: edgeStart,
      duration,
      span: r.spanMs,
      weeklyOpenMinutes: openMin,
      note: `${r.anchorKind}/${r.holidayMode}${edges}`,
    };
  });

/**
 * Runs per property: small fixed sample by default; BUSINESS_TIME_PROPERTY_RUNS=N spreads N runs over the properties.
 */
export function runsFor(share: number, defaultRuns: number): number {
  const total = Number(process.env.BUSINESS_TIME_PROPERTY_RUNS ?? 0);
  return total > 0 ? Math.ceil(total * share) : defaultRuns;
}
export const PROPERTY_SEED = Number(process.env.BUSINESS_TIME_PROPERTY_SEED ?? 20260102);
export const BIG_RUN = Number(process.env.BUSINESS_TIME_PROPERTY_RUNS ?? 0) > 0;

/** Exact edges a case can hit; each must be a real share of the generated cases (issue 14, item 16). */
export type EdgeClass = 'startAtOpening' | 'startAtClosing' | 'dueAtClosing';

/**
 * Which exact edges a case hits, judged by the minute-walking oracle from the values themselves (not
 * from how the generator meant to build them): a start exactly at an opening or a closing instant,
 * and a non-zero duration whose due instant is exactly a closing.
 */
export function edgeClassesOf(
  oracle: { isOpen(t: number): boolean },
  start: number,
  duration: number,
  due: number,
): EdgeClass[] {
  const out: EdgeClass[] = [];
  if (oracle.isOpen(start) && !oracle.isOpen(start - 1)) out.push('startAtOpening');
  if (!oracle.isOpen(start) && oracle.isOpen(start - 1)) out.push('startAtClosing');
  if (duration > 0 && !oracle.isOpen(due) && oracle.isOpen(due - 1)) out.push('dueAtClosing');
  return out;
}

/** Counts the edge classes over a property run, so the weighting of the generator cannot silently disappear. */
export class EdgeCounter {
  total = 0;
  readonly counts: Record<EdgeClass, number> = { startAtOpening: 0, startAtClosing: 0, dueAtClosing: 0 };

  add(classes: EdgeClass[]): void {
    this.total++;
    for (const c of classes) this.counts[c]++;
  }

  /** Share of the counted cases per class, e.g. `{ startAtOpening: 0.24, ... }`. */
  shares(): Record<EdgeClass, number> {
    const share = (n: number) => (this.total === 0 ? 0 : n / this.total);
    return {
      startAtOpening: share(this.counts.startAtOpening),
      startAtClosing: share(this.counts.startAtClosing),
      dueAtClosing: share(this.counts.dueAtClosing),
    };
  }
}
