/**
 * Business time: exact, DST-correct, explainable business-hours arithmetic on epoch milliseconds.
 * Rules and conventions: docs/sla-rules.md.
 */
import {
  Calendar,
  CalendarConfig,
  alwaysOpenCalendar as alwaysOpenImpl,
  compileCalendar as compileImpl,
} from './calendar';

export { CalendarConfigError, WEEKDAYS } from './calendar';
export type { Calendar, CalendarConfig, ConfigIssue, Weekday } from './calendar';
export type { HolidayType } from './holidays';
export { addBusinessTime, businessTimeBetween, isOpen, nextClosing, nextOpening } from './ops';
export { businessDaysAfter, businessDaysBefore } from './business-days';
export { closedDays, explain, explainCounts, formatDuration, isoInZone } from './explain';
export { luxonZone } from './zone';
export type { ClosedDay, Explanation, ExplanationCounts } from './explain';

/** Validates and compiles a calendar; throws CalendarConfigError naming every bad field. */
export function compileCalendar(config: CalendarConfig): Calendar {
  return compileImpl(config);
}

/** A 24x7 calendar: every instant counts, holidays ignored. `zone` (default UTC) only affects explanations. */
export function alwaysOpenCalendar(zone = 'UTC'): Calendar {
  return alwaysOpenImpl(zone);
}
