import {
  HolidaySource,
  HolidaySpan,
  HolidayType,
  holidaySource,
  knownCountry,
  knownRegion,
  knownState,
  validRule,
} from './holidays';
import { DAY, MINUTE, ZoneClock, civil, isValidZone, parseHHmm, parseIsoDate, weekdayIndex, zoneClock } from './zone';
import { WEEKDAYS, Weekday } from '../../contracts/src/vocabulary';

// Defined in contracts' vocabulary (a file without imports, safe in the workflow bundle); named here too.
export { WEEKDAYS };
export type { Weekday };

export interface CalendarConfig {
  /** IANA zone */
  zone: string;
  /** 24x7 calendar: every instant counts, holidays/closures/openings ignored */
  alwaysOpen?: boolean;
  /**
   * open intervals 'HH:mm-HH:mm'; '00:00-24:00' = whole day; end < start crosses midnight and belongs to the starting
   * day
   */
  weekly?: Partial<Record<Weekday, string[]>>;
  holidays?: {
    country: string;
    state?: string;
    region?: string;
    /** default ['public'] */
    types?: HolidayType[];
    /** extra recurring closed days in date-holidays rule grammar */
    extra?: Array<{ rule: string; name: string }>;
  };
  /** one-off closed dates, whole day or partial (local wall times) */
  closures?: Array<{ date: string; from?: string; to?: string; reason?: string }>;
  /** one-off extra open intervals (override weekly/holiday/closure for that span) */
  openings?: Array<{ date: string; from: string; to: string; reason?: string }>;
}

export interface ConfigIssue {
  path: string;
  message: string;
}

export class CalendarConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(`Invalid calendar config: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'CalendarConfigError';
    this.issues = issues;
  }
}

/** One local-date span in minutes relative to local midnight of `day` (end may exceed 1440). */
interface DaySpan {
  day: number;
  from: number;
  to: number;
  reason?: string;
}

/** Open time inside one local day's window [start, end). `spans` is flat [s0, e0, s1, e1, ...], merged, clipped. */
export interface Bucket {
  day: number;
  start: number;
  end: number;
  spans: number[];
  total: number;
}

const SEARCH_HORIZON_DAYS = 3660; // ~10 years

export interface Calendar {
  readonly zone: string;
  readonly alwaysOpen: boolean;
}

export class CompiledCalendar implements Calendar {
  readonly clock: ZoneClock;
  private readonly buckets = new Map<number, Bucket>();
  private readonly dayStarts = new Map<number, number>();
  readonly horizonDays = SEARCH_HORIZON_DAYS;

  constructor(
    readonly zone: string,
    readonly alwaysOpen: boolean,
    /** per weekday (0 = mon) minute intervals [from, to), to may exceed 1440 (crosses midnight) */
    readonly weekly: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
    readonly holidays: HolidaySource | undefined,
    readonly closures: ReadonlyMap<number, DaySpan[]>,
    readonly openings: ReadonlyMap<number, DaySpan[]>,
  ) {
    this.clock = zoneClock(zone);
  }

  /** Instant of wall time `minutes` after local midnight of `day` (see ZoneClock.resolve). */
  wall(day: number, minutes: number): number {
    return this.clock.resolve(day * DAY + minutes * MINUTE);
  }

  dayStart(day: number): number {
    let s = this.dayStarts.get(day);
    if (s === undefined) {
      s = this.wall(day, 0);
      this.dayStarts.set(day, s);
    }
    return s;
  }

  /** Local date (day number) whose window contains t. */
  dayOf(t: number): number {
    let d = Math.floor(t / DAY);
    if (t < this.dayStart(d)) {
      d -= 1;
      if (t < this.dayStart(d)) d -= 1;
    } else if (t >= this.dayStart(d + 1)) {
      d += 1;
      if (t >= this.dayStart(d + 1)) d += 1;
    }
    return d;
  }

  bucketAt(t: number): Bucket {
    // fast path: buckets already built around the UTC day
    const g = Math.floor(t / DAY);
    for (let d = g - 1; d <= g + 1; d++) {
      const b = this.buckets.get(d);
      if (b !== undefined && t >= b.start && t < b.end) return b;
    }
    return this.bucket(this.dayOf(t));
  }

  bucket(day: number): Bucket {
    let b = this.buckets.get(day);
    if (b === undefined) {
      b = this.build(day);
      if (this.buckets.size > 50_000) this.buckets.clear();
      this.buckets.set(day, b);
    }
    return b;
  }

  holidaySpans(from: number, to: number): HolidaySpan[] {
    if (!this.holidays) return [];
    const y0 = civil(Math.floor(from / DAY)).y - 1;
    const y1 = civil(Math.floor(to / DAY)).y + 1;
    const out: HolidaySpan[] = [];
    for (let y = y0; y <= y1; y++) for (const h of this.holidays.year(y)) if (h.start < to && h.end > from) out.push(h);
    return out;
  }

  private spansOf(map: ReadonlyMap<number, DaySpan[]>, day: number, from: number, to: number, out: number[][]): void {
    for (let d = day - 1; d <= day + 1; d++) {
      for (const s of map.get(d) ?? []) {
        const a = this.wall(s.day, s.from);
        const b = this.wall(s.day, s.to);
        if (a < to && b > from && b > a) out.push([a, b]);
      }
    }
  }

  private build(day: number): Bucket {
    const start = this.dayStart(day);
    const end = this.dayStart(day + 1);
    let open: number[][] = [];
    for (const d of [day - 1, day]) {
      for (const [f, t] of this.weekly[weekdayIndex(d)]) {
        if (d === day - 1 && t <= 1440) continue;
        const a = this.wall(d, f);
        const b = this.wall(d, t);
        if (b > a) open.push([a, b]);
      }
    }
    const closed: number[][] = [];
    for (const h of this.holidaySpans(start, end)) closed.push([h.start, h.end]);
    this.spansOf(this.closures, day, start, end, closed);
    open = subtract(union(open), union(closed));
    const extra: number[][] = [];
    this.spansOf(this.openings, day, start, end, extra);
    const merged = union(open.concat(extra));
    const spans: number[] = [];
    let total = 0;
    for (const [a, b] of merged) {
      const s = Math.max(a, start);
      const e = Math.min(b, end);
      if (e > s) {
        spans.push(s, e);
        total += e - s;
      }
    }
    return { day, start, end, spans, total };
  }
}

function union(xs: number[][]): number[][] {
  if (xs.length <= 1) return xs.slice();
  const s = xs.slice().sort((a, b) => a[0] - b[0]);
  const out: number[][] = [[s[0][0], s[0][1]]];
  for (let i = 1; i < s.length; i++) {
    const last = out[out.length - 1];
    if (s[i][0] <= last[1]) last[1] = Math.max(last[1], s[i][1]);
    else out.push([s[i][0], s[i][1]]);
  }
  return out;
}

/** a minus b; both sorted and merged */
function subtract(a: number[][], b: number[][]): number[][] {
  if (b.length === 0) return a;
  const out: number[][] = [];
  for (const [s0, e0] of a) {
    let s = s0;
    for (const [bs, be] of b) {
      if (be <= s || bs >= e0) continue;
      if (bs > s) out.push([s, bs]);
      s = Math.max(s, be);
      if (s >= e0) break;
    }
    if (s < e0) out.push([s, e0]);
  }
  return out;
}

function parseInterval(s: unknown): { from: number; to: number } | string {
  if (typeof s !== 'string') return 'must be a string "HH:mm-HH:mm"';
  const m = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(s.trim());
  if (!m) return `malformed interval "${s}", expected "HH:mm-HH:mm"`;
  const from = parseHHmm(m[1], false);
  const toRaw = parseHHmm(m[2], true);
  if (from === undefined) return `malformed start time "${m[1]}"`;
  if (toRaw === undefined) return `malformed end time "${m[2]}"`;
  if (toRaw === from) return `start equals end in "${s}"`;
  if (toRaw === 1440 && from === 0) return { from: 0, to: 1440 };
  if (toRaw === 1440) return { from, to: 1440 };
  return { from, to: toRaw < from ? toRaw + 1440 : toRaw };
}

function fmtMin(m: number): string {
  const h = Math.floor(m / 60) % 24;
  const mm = m % 60;
  return `${String(h).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

export function compileCalendar(config: CalendarConfig): CompiledCalendar {
  const issues: ConfigIssue[] = [];
  const cfg = (config ?? {}) as CalendarConfig;
  if (!isValidZone(cfg.zone)) issues.push({ path: 'zone', message: `unknown IANA zone "${String(cfg.zone)}"` });
  const alwaysOpen = cfg.alwaysOpen === true;

  const weekly: Array<Array<[number, number]>> = WEEKDAYS.map(() => []);
  const week: Array<{ a: number; b: number; path: string }> = [];
  if (cfg.weekly !== undefined) {
    if (typeof cfg.weekly !== 'object' || cfg.weekly === null)
      issues.push({ path: 'weekly', message: 'must be an object keyed by weekday' });
    else {
      for (const key of Object.keys(cfg.weekly)) {
        const idx = WEEKDAYS.indexOf(key as Weekday);
        const list = (cfg.weekly as Record<string, unknown>)[key];
        if (idx < 0) {
          issues.push({ path: `weekly.${key}`, message: `unknown weekday "${key}" (use mon..sun)` });
          continue;
        }
        if (!Array.isArray(list)) {
          issues.push({ path: `weekly.${key}`, message: 'must be an array of "HH:mm-HH:mm"' });
          continue;
        }
        list.forEach((s, i) => {
          const r = parseInterval(s);
          if (typeof r === 'string') issues.push({ path: `weekly.${key}[${i}]`, message: r });
          else {
            weekly[idx].push([r.from, r.to]);
            week.push({ a: idx * 1440 + r.from, b: idx * 1440 + r.to, path: `weekly.${key}[${i}]` });
          }
        });
      }
    }
  }
  // overlaps on the weekly circle (incl. a midnight-crossing interval running into the next day's first interval, and
  // Sunday into Monday)
  const sorted = week.slice().sort((x, y) => x.a - y.a);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const x = sorted[i];
      const y = sorted[j];
      if (y.a < x.b) issues.push({ path: y.path, message: `overlaps ${x.path}` });
    }
    const x = sorted[i];
    if (x.b > 10080) {
      for (const y of sorted)
        if (y !== x && y.a + 10080 < x.b)
          issues.push({ path: y.path, message: `overlaps ${x.path} (crosses midnight into it)` });
    }
  }
  for (const w of weekly) w.sort((a, b) => a[0] - b[0]);

  let holidays: HolidaySource | undefined;
  const h = cfg.holidays;
  if (h !== undefined && h !== null) {
    let ok = true;
    if (typeof h.country !== 'string' || !knownCountry(h.country)) {
      issues.push({ path: 'holidays.country', message: `unknown country "${String(h.country)}"` });
      ok = false;
    } else if (h.state !== undefined && !knownState(h.country, h.state)) {
      issues.push({ path: 'holidays.state', message: `unknown state "${h.state}" for ${h.country}` });
      ok = false;
    } else if (h.region !== undefined && (h.state === undefined || !knownRegion(h.country, h.state, h.region))) {
      issues.push({
        path: 'holidays.region',
        message: `unknown region "${h.region}" for ${h.country}${h.state ? '/' + h.state : ''}`,
      });
      ok = false;
    }
    const allowed = ['public', 'bank', 'school', 'optional', 'observance'];
    (h.types ?? []).forEach((t, i) => {
      if (!allowed.includes(t)) {
        issues.push({ path: `holidays.types[${i}]`, message: `unknown holiday type "${String(t)}"` });
        ok = false;
      }
    });
    (h.extra ?? []).forEach((x, i) => {
      if (!x || typeof x.rule !== 'string' || !validRule(x.rule)) {
        issues.push({
          path: `holidays.extra[${i}].rule`,
          message: `date-holidays cannot parse rule "${String(x?.rule)}"`,
        });
        ok = false;
      }
      if (!x || typeof x.name !== 'string' || x.name.length === 0) {
        issues.push({ path: `holidays.extra[${i}].name`, message: 'name is required' });
        ok = false;
      }
    });
    if (ok && issues.length === 0) holidays = holidaySource(h, cfg.zone);
  }

  const closures = new Map<number, DaySpan[]>();
  (cfg.closures ?? []).forEach((c, i) => {
    const p = `closures[${i}]`;
    const day = typeof c?.date === 'string' ? parseIsoDate(c.date) : undefined;
    if (day === undefined)
      issues.push({ path: `${p}.date`, message: `bad date "${String(c?.date)}", expected YYYY-MM-DD` });
    const from = c?.from === undefined ? 0 : parseHHmm(c.from, false);
    const to = c?.to === undefined ? 1440 : parseHHmm(c.to, true);
    if (from === undefined) issues.push({ path: `${p}.from`, message: `malformed time "${String(c.from)}"` });
    if (to === undefined) issues.push({ path: `${p}.to`, message: `malformed time "${String(c.to)}"` });
    if (from !== undefined && to !== undefined && to <= from)
      issues.push({ path: `${p}.to`, message: 'must be after from' });
    if (day !== undefined && from !== undefined && to !== undefined && to > from) {
      const list = closures.get(day) ?? [];
      list.push({ day, from, to, reason: c.reason });
      closures.set(day, list);
    }
  });
  const openings = new Map<number, DaySpan[]>();
  (cfg.openings ?? []).forEach((o, i) => {
    const p = `openings[${i}]`;
    const day = typeof o?.date === 'string' ? parseIsoDate(o.date) : undefined;
    if (day === undefined)
      issues.push({ path: `${p}.date`, message: `bad date "${String(o?.date)}", expected YYYY-MM-DD` });
    const from = typeof o?.from === 'string' ? parseHHmm(o.from, false) : undefined;
    const to = typeof o?.to === 'string' ? parseHHmm(o.to, true) : undefined;
    if (from === undefined) issues.push({ path: `${p}.from`, message: `malformed time "${String(o?.from)}"` });
    if (to === undefined) issues.push({ path: `${p}.to`, message: `malformed time "${String(o?.to)}"` });
    if (from !== undefined && to !== undefined && to <= from)
      issues.push({ path: `${p}.to`, message: 'must be after from' });
    if (day !== undefined && from !== undefined && to !== undefined && to > from) {
      const list = openings.get(day) ?? [];
      list.push({ day, from, to, reason: o.reason });
      openings.set(day, list);
    }
  });

  if (issues.length > 0) throw new CalendarConfigError(issues);
  return new CompiledCalendar(cfg.zone, alwaysOpen, weekly, holidays, closures, openings);
}

export function alwaysOpenCalendar(zone = 'UTC'): CompiledCalendar {
  return compileCalendar({ zone, alwaysOpen: true });
}

export function asCompiled(cal: Calendar): CompiledCalendar {
  if (!(cal instanceof CompiledCalendar)) throw new TypeError('not a compiled calendar: use compileCalendar()');
  return cal;
}

export { fmtMin };
