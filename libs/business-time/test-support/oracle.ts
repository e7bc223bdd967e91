/**
 * Brute-force oracle for business time: walks minute by minute and decides, for every minute, whether it is
 * open straight from the rules, without the library's interval code:
 *  - the local wall-clock reading of a minute comes from the zone offset (luxon IANAZone.offset);
 *  - a wall time W on a date denotes the first instant whose local reading is >= W, so a minute is inside the
 *    weekly interval [W1, W2) exactly when W1 <= M < W2, where M is the running maximum of the local reading
 *    (equal to the reading except during the repeated hour after a fall-back);
 *  - holidays are the [start, end) instants date-holidays reports; closures/openings are local date + wall times.
 * All boundaries fall on whole minutes (HH:mm config, whole-minute offsets and holiday starts), so open/closed
 * is constant within each minute and the walk is exact to the millisecond.
 */
import Holidays from 'date-holidays';
import { IANAZone } from 'luxon';
import type { CalendarConfig } from '../src';

const MIN = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WD = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

function hm(s: string): number {
  const [h, m] = s.split(':').map(Number);
  return h * 60 + m;
}

const holidayCache = new Map<string, Array<[number, number]>>();

export class Oracle {
  private readonly zone: IANAZone;
  private readonly offsetMemo = new Map<number, number>();
  private readonly weekly: Array<Array<[number, number]>> = WD.map(() => []);
  private readonly closures = new Map<number, Array<[number, number]>>(); // keyed by local day number
  private readonly openings = new Map<number, Array<[number, number]>>();
  private holidaySpans?: Array<[number, number]>; // merged, sorted
  private readonly hd?: Holidays;
  private readonly hdKey: string;
  private readonly alwaysOpen: boolean;
  /** walking limit in minutes */
  limitMinutes = 3 * 366 * 1440;

  constructor(config: CalendarConfig) {
    this.zone = IANAZone.create(config.zone);
    this.alwaysOpen = !!config.alwaysOpen;
    for (const [i, d] of WD.entries()) {
      for (const iv of config.weekly?.[d] ?? []) {
        const [a, b] = iv.split('-');
        const s = hm(a);
        let e = hm(b);
        if (e <= s) e += 1440; // crosses midnight (or ends at 00:00 = 24:00)
        this.weekly[i].push([s, e]);
      }
    }
    for (const c of config.closures ?? []) {
      const day = Date.parse(`${c.date}T00:00:00Z`) / DAY_MS;
      const list = this.closures.get(day) ?? [];
      list.push([c.from ? hm(c.from) : 0, c.to ? hm(c.to) : 1440]);
      this.closures.set(day, list);
    }
    for (const o of config.openings ?? []) {
      const day = Date.parse(`${o.date}T00:00:00Z`) / DAY_MS;
      const list = this.openings.get(day) ?? [];
      list.push([hm(o.from), hm(o.to)]);
      this.openings.set(day, list);
    }
    const h = config.holidays;
    this.hdKey = JSON.stringify([config.zone, h]);
    if (h) {
      this.hd = new Holidays(h.country, h.state ?? '', h.region ?? '', {
        timezone: config.zone,
        types: h.types ?? ['public'],
      } as never);
      for (const x of h.extra ?? []) this.hd.setHoliday(x.rule, { name: x.name, type: 'public' } as never);
    }
  }

  private offsetMin(t: number): number {
    const hIdx = Math.floor(t / HOUR_MS);
    const m = this.offsetMemo.get(hIdx);
    if (m !== undefined) return m;
    const a = this.zone.offset(hIdx * HOUR_MS);
    const b = this.zone.offset(hIdx * HOUR_MS + HOUR_MS - 1);
    if (a === b) {
      this.offsetMemo.set(hIdx, a);
      return a;
    }
    return this.zone.offset(t);
  }

  private reading(t: number): number {
    return t + this.offsetMin(t) * MIN;
  }

  private holidaysOfYear(y: number): Array<[number, number]> {
    const key = `${this.hdKey}|${y}`;
    let v = holidayCache.get(key);
    if (!v) {
      v = (this.hd?.getHolidays(y) ?? []).map((x) => [x.start.getTime(), x.end.getTime()] as [number, number]);
      holidayCache.set(key, v);
    }
    return v;
  }

  /** Holidays of 2015..2040 (the oracle's supported range), merged into sorted disjoint spans. */
  private spans(): Array<[number, number]> {
    if (!this.holidaySpans) {
      const all: Array<[number, number]> = [];
      for (let y = 2015; y <= 2040; y++) all.push(...this.holidaysOfYear(y));
      all.sort((a, b) => a[0] - b[0]);
      const merged: Array<[number, number]> = [];
      for (const [s, e] of all) {
        const last = merged[merged.length - 1];
        if (last && s <= last[1]) last[1] = Math.max(last[1], e);
        else merged.push([s, e]);
      }
      this.holidaySpans = merged;
    }
    return this.holidaySpans;
  }

  private inHoliday(t: number): boolean {
    if (!this.hd) return false;
    const sp = this.spans();
    let lo = 0;
    let hi = sp.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sp[mid][1] <= t) lo = mid + 1;
      else if (sp[mid][0] > t) hi = mid - 1;
      else return true;
    }
    return false;
  }

  /** Open status of the minute starting at m (m a multiple of 60 000), given M = running max local reading at m. */
  private openMinute(m: number, M: number): boolean {
    if (this.alwaysOpen) return true;
    const day = Math.floor(M / DAY_MS);
    const mod = Math.round((M - day * DAY_MS) / MIN);
    const op = this.openings.size ? this.openings.get(day) : undefined;
    if (op) for (const [s, e] of op) if (mod >= s && mod < e) return true;
    const wd = (((day + 3) % 7) + 7) % 7;
    let weekly = this.weekly[wd].some(([s, e]) => mod >= s && mod < e);
    if (!weekly) weekly = this.weekly[(wd + 6) % 7].some(([s, e]) => e > 1440 && mod + 1440 >= s && mod + 1440 < e);
    if (!weekly) return false;
    if (this.inHoliday(m)) return false;
    const cl = this.closures.size ? this.closures.get(day) : undefined;
    if (cl) for (const [s, e] of cl) if (mod >= s && mod < e) return false;
    return true;
  }

  /** Running-max reading at minute m computed from scratch (3 hours of history covers any fall-back). */
  private maxReading(m: number): number {
    let M = -Infinity;
    for (let k = 180; k >= 0; k--) M = Math.max(M, this.reading(m - k * MIN));
    return M;
  }

  /** Walk minutes from the one containing t, calling visit(minuteStart, open) until it returns true. */
  private walk(t: number, visit: (m: number, open: boolean) => boolean, maxMinutes = this.limitMinutes): boolean {
    let m = Math.floor(t / MIN) * MIN;
    let M = this.maxReading(m);
    for (let i = 0; i < maxMinutes; i++) {
      if (visit(m, this.openMinute(m, M))) return true;
      m += MIN;
      const r = this.reading(m);
      if (r > M) M = r;
    }
    return false;
  }

  isOpen(t: number): boolean {
    const m = Math.floor(t / MIN) * MIN;
    return this.openMinute(m, this.maxReading(m));
  }

  add(start: number, duration: number): number {
    if (duration === 0) return start;
    let remaining = duration;
    let t = start;
    let due = NaN;
    const found = this.walk(start, (m, open) => {
      const next = m + MIN;
      if (open) {
        const avail = next - t;
        if (remaining <= avail) {
          due = t + remaining;
          return true;
        }
        remaining -= avail;
      }
      t = next;
      return false;
    });
    if (!found) throw new Error('oracle walk limit reached');
    return due;
  }

  between(a: number, b: number): number {
    if (b <= a) return 0;
    let sum = 0;
    this.walk(a, (m, open) => {
      if (m >= b) return true;
      if (open) sum += Math.min(m + MIN, b) - Math.max(m, a);
      return false;
    });
    return sum;
  }

  /** undefined when nothing is found within maxMinutes */
  nextOpening(t: number, maxMinutes = this.limitMinutes): number | undefined {
    let r: number | undefined;
    this.walk(
      t,
      (m, open) => {
        if (open) r = Math.max(m, t);
        return open;
      },
      maxMinutes,
    );
    return r;
  }

  nextClosing(t: number, maxMinutes = this.limitMinutes): number | undefined {
    const o = this.nextOpening(t, maxMinutes);
    if (o === undefined) return undefined;
    let r: number | undefined;
    this.walk(
      o,
      (m, open) => {
        if (!open) r = m;
        return !open;
      },
      maxMinutes,
    );
    return r;
  }
}
