import { DateTime } from 'luxon';

/**
 * An instant as a person reads it: "Tue 1 Dec 2026, 14:00 EET" in their zone and locale. The
 * zone's name follows, so a reader in another zone is never left guessing.
 */
export function localTime(iso: string, zone: string, locale: string): string {
  const at = DateTime.fromISO(iso, { zone }).setLocale(locale);
  if (!at.isValid) return iso;
  const text = at.toLocaleString({
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  return `${text} (${zone})`;
}

/** The calendar date of an instant in a zone (YYYY-MM-DD). */
export function localDate(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toISODate() ?? iso.slice(0, 10);
}

/** Who reads a message: their name, zone and locale. */
export interface Reader {
  name: string;
  zone: string;
  locale: string;
}

/** An instant in the center's zone, and in the reader's when it differs ("...; your time ..."). */
export function centerAndReaderTime(iso: string, centerZone: string, reader: Reader): string {
  const center = localTime(iso, centerZone, reader.locale);
  return reader.zone === centerZone ? center : `${center}; your time ${localTime(iso, reader.zone, reader.locale)}`;
}
