export { CalendarConfigError, WEEKDAYS, alwaysOpenCalendar, compileCalendar } from './calendar';
export type { Calendar, CalendarConfig, ConfigIssue, Weekday } from './calendar';
export type { HolidayType } from './holidays';
export { addBusinessTime, businessTimeBetween, isOpen, nextClosing, nextOpening } from './ops';
export { closedDays, explain, formatDuration, isoInZone } from './explain';
export type { ClosedDay, Explanation } from './explain';
