/**
 * Durations in config are written like `90s`, `30m`, `4h`, `1h30m`, `2d`.
 * A day is 24 h of the coverage clock (business or wall-clock), never a calendar day.
 */
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  const [d, h, min, s] = m.slice(1).map((part) => Number(part ?? 0));
  return (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
}

export function isPositiveDuration(text: string): boolean {
  const ms = parseDuration(text);
  return ms !== undefined && ms > 0;
}
