import { DateTime } from 'luxon';
import { Calendar, CompiledCalendar, asCompiled } from './calendar';
import { addBusinessTime } from './ops';
import { DAY, MINUTE, isoDate, luxonZone, weekdayIndex } from './zone';

/** What every explanation states: where, which clock, from when to when, and how long. */
export interface ExplanationFrame {
  zone: string;
  coverage: '24x7' | 'business-hours';
  /** ISO 8601 in the calendar zone, with offset */
  start: string;
  due: string;
  startMs: number;
  dueMs: number;
  durationMs: number;
  /** human form of durationMs, e.g. '16h' */
  duration: string;
}

export interface Explanation extends ExplanationFrame {
  counted: Array<{ from: string; to: string; ms: number }>;
  skipped: Array<{ date: string; reason: 'weekend' | 'holiday' | 'closure' | 'closed'; name?: string }>;
  dstShifts: Array<{ at: string; offsetBefore: string; offsetAfter: string; effect: string }>;
  summary: string;
}

export interface ClosedDay {
  date: string;
  reason: 'weekend' | 'holiday' | 'closure';
  name?: string;
  partial?: { from: string; to: string };
}

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** '16h', '2h 30m', '1h 0m 5s', '45m', '1s 250ms', '0s' */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const neg = ms < 0;
  let rest = Math.round(Math.abs(ms));
  const parts: Array<[number, string]> = [];
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  parts.push([h, 'h'], [m, 'm'], [s, 's'], [milli, 'ms']);
  const first = parts.findIndex(([v]) => v > 0);
  if (first < 0) return '0s';
  let last = parts.length - 1;
  while (parts[last][0] === 0) last--;
  return (
    (neg ? '-' : '') +
    parts
      .slice(first, last + 1)
      .map(([v, u]) => `${v}${u}`)
      .join(' ')
  );
}

function dt(cal: CompiledCalendar, ms: number): DateTime {
  return DateTime.fromMillis(ms, { zone: luxonZone(cal.zone) });
}

export function isoInZone(cal: Calendar, ms: number): string {
  return (
    DateTime.fromMillis(ms, { zone: luxonZone(cal.zone) }).toISO({ suppressMilliseconds: true }) ??
    new Date(ms).toISOString()
  );
}

function abbrev(d: DateTime): string {
  const us = d.setLocale('en-US').toFormat('ZZZZ');
  if (!/^(GMT|UTC)[+-]/.test(us)) return us;
  const gb = d.setLocale('en-GB').toFormat('ZZZZ');
  return /^(GMT|UTC)[+-]/.test(gb) ? `UTC${d.toFormat('ZZ')}` : gb;
}

function hhmm(d: DateTime): string {
  return d.toFormat(d.millisecond || d.second ? 'HH:mm:ss.SSS' : 'HH:mm');
}

function stamp(cal: CompiledCalendar, ms: number): string {
  const d = dt(cal, ms);
  return `${DAY_NAMES[d.weekday - 1]} ${d.toFormat('yyyy-MM-dd')} ${hhmm(d)} ${abbrev(d)}`;
}

function offsetStr(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** DST (offset) transitions in (fromMs, toMs]. */
function transitions(
  cal: CompiledCalendar,
  fromMs: number,
  toMs: number,
): Array<{ at: number; before: number; after: number }> {
  const out: Array<{ at: number; before: number; after: number }> = [];
  const c = cal.clock;
  let t = fromMs;
  while (t < toMs) {
    const step = Math.min(toMs, t + DAY / 2);
    const a = c.offset(t);
    const b = c.offset(step);
    if (a !== b) {
      let lo = t;
      let hi = step;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (c.offset(mid) === a) lo = mid;
        else hi = mid;
      }
      out.push({ at: hi, before: a, after: c.offset(hi) });
    }
    t = step;
  }
  return out;
}

function reasonFor(
  cal: CompiledCalendar,
  day: number,
): { reason: 'weekend' | 'holiday' | 'closure' | 'closed'; name?: string } {
  const date = isoDate(day);
  const hol = cal.holidaySpans(cal.dayStart(day), cal.dayStart(day + 1)).find((h) => h.date === date);
  if (hol) return { reason: 'holiday', name: hol.name };
  const cl = cal.closures.get(day);
  if (cl && cl.length > 0) return { reason: 'closure', name: cl.find((x) => x.reason)?.reason };
  if (cal.weekly[weekdayIndex(day)].length === 0) return { reason: 'weekend' };
  return { reason: 'closed' };
}

/** Why `startMs + durationMs` of coverage is due when it is; JSON-serialisable. */
export function explain(calendar: Calendar, startMs: number, durationMs: number): Explanation {
  const cal = asCompiled(calendar);
  const dueMs = addBusinessTime(cal, startMs, durationMs);
  const counted: Array<{ from: number; to: number }> = [];
  const skipped: Explanation['skipped'] = [];
  if (cal.alwaysOpen) {
    if (dueMs > startMs) counted.push({ from: startMs, to: dueMs });
  } else if (dueMs > startMs) {
    let b = cal.bucketAt(startMs);
    const firstDay = b.day;
    for (;;) {
      let dayCount = 0;
      for (let i = 0; i < b.spans.length; i += 2) {
        const s = Math.max(b.spans[i], startMs);
        const e = Math.min(b.spans[i + 1], dueMs);
        if (e <= s) continue;
        dayCount += e - s;
        const last = counted[counted.length - 1];
        if (last && last.to === s) last.to = e;
        else counted.push({ from: s, to: e });
      }
      if (dayCount === 0) {
        const r = reasonFor(cal, b.day);
        if (!(r.reason === 'closed' && b.day === firstDay)) skipped.push({ date: isoDate(b.day), ...r });
      }
      if (b.end >= dueMs) break;
      b = cal.bucket(b.day + 1);
    }
  }
  const dstShifts = transitions(cal, startMs, Math.max(startMs, dueMs)).map((x) => {
    const delta = x.after - x.before;
    const d = formatDuration(Math.abs(delta) * MINUTE);
    const from = fmt(Math.round(((((x.at + x.before * MINUTE) % DAY) + DAY) % DAY) / MINUTE));
    const to = hhmm(dt(cal, x.at));
    const effect =
      delta > 0
        ? `clocks went forward ${d} at ${from} local time (to ${to}); that local day is ${d} shorter and wall times in the gap do not exist; only real elapsed open time is counted`
        : `clocks went back ${d} at ${from} local time (to ${to}); that local day is ${d} longer; only real elapsed open time is counted`;
    return { at: isoInZone(cal, x.at), offsetBefore: offsetStr(x.before), offsetAfter: offsetStr(x.after), effect };
  });

  const spanDays = (dueMs - startMs) / DAY;
  const label = (ms: number, withDay: boolean): string => {
    const d = dt(cal, ms);
    const time = hhmm(d);
    if (!withDay) return time;
    return spanDays < 6
      ? `${DAY_NAMES[d.weekday - 1]} ${time}`
      : `${DAY_NAMES[d.weekday - 1]} ${d.toFormat('yyyy-MM-dd')} ${time}`;
  };
  const countedOut = counted.map((c) => ({
    from: isoInZone(cal, c.from),
    to: isoInZone(cal, c.to),
    ms: c.to - c.from,
  }));
  const countedText = counted
    .map((c) => {
      const sameDay =
        dt(cal, c.from).toISODate() === dt(cal, c.to - 1).toISODate() &&
        dt(cal, c.to).toISODate() === dt(cal, c.from).toISODate();
      return `${label(c.from, true)}–${label(c.to, !sameDay)} (${formatDuration(c.to - c.from)})`;
    })
    .join(', ');
  const groups: string[] = [];
  let i = 0;
  while (i < skipped.length) {
    let j = i;
    while (
      j + 1 < skipped.length &&
      skipped[j + 1].reason === skipped[i].reason &&
      skipped[j + 1].name === skipped[i].name
    )
      j++;
    const days = skipped.slice(i, j + 1).map((s) => {
      const dd = DateTime.fromISO(s.date, { zone: 'UTC' });
      return spanDays < 6 && skipped[i].reason === 'weekend'
        ? DAY_NAMES[dd.weekday - 1]
        : `${DAY_NAMES[dd.weekday - 1]} ${s.date}`;
    });
    const why = skipped[i].name ? `${skipped[i].reason}: ${skipped[i].name}` : skipped[i].reason;
    groups.push(`${days.join(', ')} (${why})`);
    i = j + 1;
  }
  const framed = frame(
    cal,
    startMs,
    dueMs,
    durationMs,
    [`counted ${countedText}`, ...(groups.length ? [`skipped ${groups.join(', ')}`] : [])],
    dstShifts.length
      ? [`DST: ${dstShifts.map((s) => `${s.offsetBefore} → ${s.offsetAfter} at ${s.at}`).join(', ')}`]
      : [],
  );
  return {
    ...framed.fields,
    counted: countedOut,
    skipped,
    dstShifts,
    summary: framed.summary,
  };
}

/**
 * What both explanations share: zone, coverage, start and due in the calendar's zone, the duration,
 * and the summary's frame "<duration> of <coverage> from <start>: <counted>; <more>; due <due>".
 */
function frame(
  cal: CompiledCalendar,
  startMs: number,
  dueMs: number,
  durationMs: number,
  counted: string[],
  more: string[],
) {
  const what = cal.alwaysOpen ? 'of 24x7 coverage' : 'of business hours';
  const summary = [
    `${formatDuration(durationMs)} ${what} from ${stamp(cal, startMs)}${durationMs === 0 ? ': nothing to count' : `: ${counted.join('; ')}`}`,
    ...more,
    `due ${stamp(cal, dueMs)}`,
  ].join('; ');
  const fields: ExplanationFrame = {
    zone: cal.zone,
    coverage: cal.alwaysOpen ? '24x7' : 'business-hours',
    start: isoInZone(cal, startMs),
    due: isoInZone(cal, dueMs),
    startMs,
    dueMs,
    durationMs,
    duration: formatDuration(durationMs),
  };
  return { fields, summary };
}

/**
 * Closed local dates whose day intersects [fromMs, toMs): holidays (with partial from/to when the holiday
 * does not cover the whole local day), one-off closures, and weekend days (weekdays without weekly intervals,
 * unless a one-off opening is configured that date). One entry per date; precedence holiday > closure > weekend.
 * Always-open calendars have none.
 */
export function closedDays(calendar: Calendar, fromMs: number, toMs: number): ClosedDay[] {
  const cal = asCompiled(calendar);
  if (cal.alwaysOpen || !(toMs > fromMs)) return [];
  const out: ClosedDay[] = [];
  const last = cal.dayOf(toMs - 1);
  const hols = cal.holidaySpans(fromMs - 2 * DAY, toMs + 2 * DAY);
  for (let day = cal.dayOf(fromMs); day <= last; day++) {
    const date = isoDate(day);
    const start = cal.dayStart(day);
    const end = cal.dayStart(day + 1);
    const hol = hols.find((h) => h.date === date);
    if (hol) {
      const e: ClosedDay = { date, reason: 'holiday', name: hol.name };
      if (hol.start > start || hol.end < end)
        e.partial = {
          from: hhmm(dt(cal, Math.max(hol.start, start))),
          to: hol.end >= end ? '24:00' : hhmm(dt(cal, hol.end)),
        };
      out.push(e);
      continue;
    }
    const cl = cal.closures.get(day);
    if (cl && cl.length > 0) {
      const e: ClosedDay = { date, reason: 'closure' };
      const name = cl.find((x) => x.reason)?.reason;
      if (name) e.name = name;
      const whole = cl.some((x) => x.from === 0 && x.to === 1440);
      if (!whole)
        e.partial = { from: fmt(Math.min(...cl.map((x) => x.from))), to: fmt(Math.max(...cl.map((x) => x.to))) };
      out.push(e);
      continue;
    }
    if (cal.weekly[weekdayIndex(day)].length === 0 && !cal.openings.has(day)) out.push({ date, reason: 'weekend' });
  }
  return out;
}

function fmt(m: number): string {
  return m === 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** What `explain` tells, as counts: the what-if API's default answer (bounded in size whatever the duration). */
export interface ExplanationCounts extends ExplanationFrame {
  counts: {
    /** Open intervals counted (touching intervals merged, as in `explain`'s `counted`). */
    counted: number;
    /** Local days with nothing counted, by reason (as in `explain`'s `skipped`). */
    skipped: { weekend: number; holiday: number; closure: number; closed: number };
    dstShifts: number;
  };
  summary: string;
}

/**
 * The same walk as `explain` without formatting each interval and day: formatting (luxon, per interval)
 * was most of the cost of a long what-if, and the per-day lists most of its size.
 */
export function explainCounts(calendar: Calendar, startMs: number, durationMs: number): ExplanationCounts {
  const cal = asCompiled(calendar);
  const dueMs = addBusinessTime(cal, startMs, durationMs);
  let counted = 0;
  const skipped = { weekend: 0, holiday: 0, closure: 0, closed: 0 };
  if (cal.alwaysOpen) {
    if (dueMs > startMs) counted = 1;
  } else if (dueMs > startMs) {
    let b = cal.bucketAt(startMs);
    const firstDay = b.day;
    let lastTo = Number.NaN;
    for (;;) {
      let dayCount = 0;
      for (let i = 0; i < b.spans.length; i += 2) {
        const s = Math.max(b.spans[i], startMs);
        const e = Math.min(b.spans[i + 1], dueMs);
        if (e <= s) continue;
        dayCount += e - s;
        if (lastTo !== s) counted++;
        lastTo = e;
      }
      if (dayCount === 0) {
        const r = reasonFor(cal, b.day);
        if (!(r.reason === 'closed' && b.day === firstDay)) skipped[r.reason]++;
      }
      if (b.end >= dueMs) break;
      b = cal.bucket(b.day + 1);
    }
  }
  const dstShifts = transitions(cal, startMs, Math.max(startMs, dueMs)).length;
  const skippedDays = skipped.weekend + skipped.holiday + skipped.closure + skipped.closed;
  const reasons = (Object.entries(skipped) as Array<[string, number]>)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${reason}`);
  const framed = frame(
    cal,
    startMs,
    dueMs,
    durationMs,
    [
      `counted ${counted} interval${counted === 1 ? '' : 's'}`,
      ...(skippedDays ? [`skipped ${skippedDays} day${skippedDays === 1 ? '' : 's'} (${reasons.join(', ')})`] : []),
    ],
    dstShifts ? [`${dstShifts} DST shift${dstShifts === 1 ? '' : 's'}`] : [],
  );
  return { ...framed.fields, counts: { counted, skipped, dstShifts }, summary: framed.summary };
}
