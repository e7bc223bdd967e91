import { Calendar, asCompiled } from './calendar';

function checkInstant(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new RangeError(`${name} must be a finite number of epoch milliseconds`);
}

/**
 * The instant at which `durationMs` of open time has elapsed after `startMs`.
 * duration 0 -> startMs (nothing to count, even when closed). A due instant that lands exactly on a
 * closing time is that closing time. Throws RangeError if the calendar has not enough open time in ~10 years.
 */
export function addBusinessTime(calendar: Calendar, startMs: number, durationMs: number): number {
  checkInstant('startMs', startMs);
  checkInstant('durationMs', durationMs);
  if (durationMs < 0) throw new RangeError('durationMs must be >= 0');
  const cal = asCompiled(calendar);
  if (durationMs === 0) return startMs;
  if (cal.alwaysOpen) return startMs + durationMs;
  let remaining = durationMs;
  let b = cal.bucketAt(startMs);
  let t = startMs;
  const lastDay = b.day + cal.horizonDays;
  for (;;) {
    if (b.total > 0) {
      const sp = b.spans;
      if (t <= b.start && remaining > b.total) {
        remaining -= b.total; // whole day counts
      } else {
        for (let i = 0; i < sp.length; i += 2) {
          const e = sp[i + 1];
          if (e <= t) continue;
          const s = sp[i] > t ? sp[i] : t;
          const avail = e - s;
          if (remaining <= avail) return s + remaining;
          remaining -= avail;
        }
      }
    }
    if (b.day >= lastDay) throw new RangeError('calendar has not enough open time within the search horizon');
    b = cal.bucket(b.day + 1);
    t = b.start;
  }
}

/** Open time in [aMs, bMs); 0 if bMs <= aMs. */
export function businessTimeBetween(calendar: Calendar, aMs: number, bMs: number): number {
  checkInstant('aMs', aMs);
  checkInstant('bMs', bMs);
  if (bMs <= aMs) return 0;
  const cal = asCompiled(calendar);
  if (cal.alwaysOpen) return bMs - aMs;
  let b = cal.bucketAt(aMs);
  let sum = 0;
  for (;;) {
    if (aMs <= b.start && bMs >= b.end) sum += b.total;
    else {
      const sp = b.spans;
      for (let i = 0; i < sp.length; i += 2) {
        const s = sp[i] > aMs ? sp[i] : aMs;
        const e = sp[i + 1] < bMs ? sp[i + 1] : bMs;
        if (e > s) sum += e - s;
      }
    }
    if (b.end >= bMs) return sum;
    b = cal.bucket(b.day + 1);
  }
}

export function isOpen(calendar: Calendar, tMs: number): boolean {
  checkInstant('tMs', tMs);
  const cal = asCompiled(calendar);
  if (cal.alwaysOpen) return true;
  const sp = cal.bucketAt(tMs).spans;
  for (let i = 0; i < sp.length; i += 2) if (tMs >= sp[i] && tMs < sp[i + 1]) return true;
  return false;
}

/** tMs itself when open at tMs; otherwise the start of the next open span. +Infinity if none within ~10 years. */
export function nextOpening(calendar: Calendar, tMs: number): number {
  checkInstant('tMs', tMs);
  const cal = asCompiled(calendar);
  if (cal.alwaysOpen) return tMs;
  let b = cal.bucketAt(tMs);
  const lastDay = b.day + cal.horizonDays;
  for (;;) {
    const sp = b.spans;
    for (let i = 0; i < sp.length; i += 2) {
      if (sp[i + 1] <= tMs) continue;
      return sp[i] > tMs ? sp[i] : tMs;
    }
    if (b.day >= lastDay) return Number.POSITIVE_INFINITY;
    b = cal.bucket(b.day + 1);
  }
}

/**
 * When open at tMs: the end of the current open span (the first closed instant after tMs).
 * When closed: the end of the next open span. Spans that touch across midnight are one span.
 * +Infinity for an always-open calendar, or when no closing is found within ~10 years.
 */
export function nextClosing(calendar: Calendar, tMs: number): number {
  checkInstant('tMs', tMs);
  const cal = asCompiled(calendar);
  if (cal.alwaysOpen) return Number.POSITIVE_INFINITY;
  const open = nextOpening(cal, tMs);
  if (!Number.isFinite(open)) return open;
  let b = cal.bucketAt(open);
  const lastDay = b.day + cal.horizonDays;
  let end = open;
  for (;;) {
    const sp = b.spans;
    for (let i = 0; i < sp.length; i += 2) {
      if (sp[i + 1] <= end) continue;
      if (sp[i] > end) return end;
      end = sp[i + 1];
    }
    if (end < b.end) return end;
    if (b.day >= lastDay) return Number.POSITIVE_INFINITY;
    b = cal.bucket(b.day + 1);
  }
}
