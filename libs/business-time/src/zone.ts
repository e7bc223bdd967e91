import { FixedOffsetZone, IANAZone, Info, Zone, ZoneOffsetFormat, ZoneOffsetOptions } from 'luxon';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/**
 * Fast UTC-offset lookup for one IANA zone (minutes east of UTC), memoised per UTC hour.
 * A zone changes offset at most once within any hour, so when the offsets at the start and
 * at the last millisecond of an hour agree, the whole hour has that offset.
 */
export class ZoneClock {
  private readonly zone: IANAZone;
  private readonly hourMemo = new Map<number, number>(); // hour index -> offset, only for hours without a transition

  constructor(readonly name: string) {
    this.zone = IANAZone.create(name);
  }

  offset(t: number): number {
    const h = Math.floor(t / HOUR);
    const memo = this.hourMemo.get(h);
    if (memo !== undefined) return memo;
    const a = this.zone.offset(h * HOUR);
    const b = this.zone.offset(h * HOUR + HOUR - 1);
    if (a === b) {
      if (this.hourMemo.size > 200_000) this.hourMemo.clear();
      this.hourMemo.set(h, a);
      return a;
    }
    return this.zone.offset(t);
  }

  /** Local wall-clock reading of instant t, as "local epoch" milliseconds (wall time read as if UTC). */
  reading(t: number): number {
    return t + this.offset(t) * MINUTE;
  }

  /**
   * The instant a local wall time L ("local epoch" ms) denotes: the FIRST instant whose local
   * reading is >= L. Consequences: an ambiguous wall time (fall-back) is its earlier occurrence;
   * a wall time inside a DST gap is the instant the gap ends (02:30 in a 02:00->03:00 gap -> 03:00).
   */
  resolve(L: number): number {
    const before = this.offset(L - 18 * HOUR);
    const after = this.offset(L + 18 * HOUR);
    if (before === after) {
      const t = L - before * MINUTE;
      if (this.offset(t) === before) return t;
    }
    const tA = L - before * MINUTE;
    const tB = L - after * MINUTE;
    const okA = this.offset(tA) === before;
    const okB = this.offset(tB) === after;
    if (okA && okB) return Math.min(tA, tB);
    if (okA) return tA;
    if (okB) return tB;
    // Gap: find the transition instant between the two candidates (first instant with the new offset).
    let lo = Math.min(tA, tB) - HOUR; // offset == before here
    let hi = Math.max(tA, tB) + HOUR; // offset == after here
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.offset(mid) === before) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}

const clocks = new Map<string, ZoneClock>();
export function zoneClock(name: string): ZoneClock {
  let c = clocks.get(name);
  if (!c) {
    c = new ZoneClock(name);
    clocks.set(name, c);
  }
  return c;
}

/**
 * The IANA zone `name` for luxon DateTimes, with the same answers as luxon's own IANAZone but faster:
 * offsets come from the memoised ZoneClock (IANAZone asks Intl for every DateTime it builds), and
 * offset names (EET, EEST) from one Intl formatter per locale and style (luxon builds a new one per
 * name, which made zone abbreviations most of the cost of an explanation).
 */
export class ClockZone extends Zone<true> {
  private readonly offsetNames = new Map<string, Intl.DateTimeFormat>();

  constructor(private readonly clock: ZoneClock) {
    super();
  }

  override get type(): string {
    // Luxon formats localized strings through Intl with `name` as the time zone for this type.
    return 'iana';
  }

  override get name(): string {
    return this.clock.name;
  }

  get ianaName(): string {
    return this.clock.name;
  }

  override get isUniversal(): boolean {
    return false;
  }

  override get isValid(): true {
    return true;
  }

  override offset(ts: number): number {
    return this.clock.offset(ts);
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return FixedOffsetZone.instance(this.offset(ts)).formatOffset(ts, format);
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string {
    const key = `${options.locale ?? ''}|${options.format ?? ''}`;
    let formatter = this.offsetNames.get(key);
    if (!formatter) {
      // The options luxon's IANAZone.offsetName passes, so the names are the same.
      formatter = new Intl.DateTimeFormat(options.locale, {
        timeZone: this.name,
        timeZoneName: options.format,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
      this.offsetNames.set(key, formatter);
    }
    return formatter.formatToParts(ts).find((part) => part.type.toLowerCase() === 'timezonename')?.value ?? '';
  }

  override equals(other: Zone): boolean {
    return other.type === 'iana' && other.name === this.name;
  }
}

const luxonZones = new Map<string, Zone>();
/**
 * The ClockZone of an IANA zone name (one per name). Names luxon does not read as an IANA zone keep
 * luxon's own zone: 'UTC' is its universal zone (ISO strings end in Z), an unknown name an invalid one.
 */
export function luxonZone(name: string): Zone {
  let z = luxonZones.get(name);
  if (!z) {
    const native = Info.normalizeZone(name);
    z = native.type === 'iana' && native.isValid ? new ClockZone(zoneClock(name)) : native;
    luxonZones.set(name, z);
  }
  return z;
}

export function isValidZone(name: string): boolean {
  return typeof name === 'string' && name.length > 0 && IANAZone.isValidZone(name);
}

/** Days since 1970-01-01 for a civil date. */
export function dayNumber(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / DAY);
}

export function civil(day: number): { y: number; m: number; d: number } {
  const dt = new Date(day * DAY);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

/** 0 = Monday ... 6 = Sunday */
export function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function isoDate(day: number): string {
  const { y, m, d } = civil(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

export function parseIsoDate(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const day = dayNumber(y, mo, d);
  const c = civil(day);
  if (c.y !== y || c.m !== mo || c.d !== d) return undefined;
  return day;
}

/** 'HH:mm' -> minutes; allows '24:00' only when allow24. */
export function parseHHmm(s: string, allow24: boolean): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  if (mi > 59) return undefined;
  if (h === 24 && mi === 0 && allow24) return 1440;
  if (h > 23) return undefined;
  return h * 60 + mi;
}
