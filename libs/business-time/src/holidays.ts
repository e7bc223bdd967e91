import Holidays from 'date-holidays';

export type HolidayType = 'public' | 'bank' | 'school' | 'optional' | 'observance';

export interface HolidaySpec {
  country: string;
  state?: string;
  region?: string;
  types?: HolidayType[];
  extra?: Array<{ rule: string; name: string }>;
}

export interface HolidaySpan {
  start: number; // epoch ms, inclusive
  end: number; // epoch ms, exclusive
  date: string; // local date YYYY-MM-DD the holiday is on
  name: string;
  type: string;
}

/**
 * Years of holiday spans kept per source. The what-if API takes any start instant, so without a bound
 * every distinct year asked for stayed in memory; a working set is a few years around now.
 */
export const MAX_CACHED_HOLIDAY_YEARS = 16;

/** Holiday source: date-holidays, in the calendar's zone, with spans cached per year (bounded). Shared per spec. */
export class HolidaySource {
  private readonly hd: Holidays;
  private readonly years = new Map<number, HolidaySpan[]>();

  constructor(spec: HolidaySpec, zone: string) {
    const types = spec.types && spec.types.length > 0 ? spec.types : ['public'];
    this.hd = new Holidays(spec.country, spec.state ?? '', spec.region ?? '', {
      timezone: zone,
      types: types as HolidayType[],
      languages: ['en'],
    } as never);
    for (const x of spec.extra ?? []) this.hd.setHoliday(x.rule, { name: x.name, type: 'public' } as never);
  }

  /** How many years are cached (for tests of the bound). */
  get cachedYears(): number {
    return this.years.size;
  }

  year(y: number): HolidaySpan[] {
    let spans = this.years.get(y);
    if (!spans) {
      spans = this.hd
        .getHolidays(y)
        .map((h) => ({
          start: h.start.getTime(),
          end: h.end.getTime(),
          date: h.date.slice(0, 10),
          name: h.name,
          type: h.type,
        }))
        .filter((h) => h.end > h.start)
        .sort((a, b) => a.start - b.start);
      // Oldest-inserted year out first (Map keeps insertion order).
      if (this.years.size >= MAX_CACHED_HOLIDAY_YEARS) this.years.delete(this.years.keys().next().value!);
      this.years.set(y, spans);
    }
    return spans;
  }
}

const sources = new Map<string, HolidaySource>();
export function holidaySource(spec: HolidaySpec, zone: string): HolidaySource {
  const key = JSON.stringify([
    zone,
    spec.country,
    spec.state ?? '',
    spec.region ?? '',
    spec.types ?? [],
    spec.extra ?? [],
  ]);
  let s = sources.get(key);
  if (!s) {
    s = new HolidaySource(spec, zone);
    sources.set(key, s);
  }
  return s;
}

let meta: Holidays | undefined;
function metaHd(): Holidays {
  if (!meta) meta = new Holidays();
  return meta;
}
export function knownCountry(c: string): boolean {
  const all = metaHd().getCountries();
  return !!all && Object.prototype.hasOwnProperty.call(all, c);
}
export function knownState(c: string, s: string): boolean {
  const all = metaHd().getStates(c);
  return !!all && Object.prototype.hasOwnProperty.call(all, s);
}
export function knownRegion(c: string, s: string, r: string): boolean {
  const all = metaHd().getRegions(c, s);
  return !!all && Object.prototype.hasOwnProperty.call(all, r);
}
/** Whether date-holidays can parse a rule (checked on a throwaway instance). */
export function validRule(rule: string): boolean {
  const hd = new Holidays('FI');
  try {
    return hd.setHoliday(rule, { name: 'x', type: 'public' } as never) === true;
  } catch {
    return false;
  }
}
