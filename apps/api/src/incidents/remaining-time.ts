import { alwaysOpenCalendar, businessTimeBetween, Calendar } from '../../../../libs/business-time/src';
import type { IncidentStatus } from '../../../../libs/contracts/src';
import type { IhrClockPlanner, Policy } from '../../../../libs/policy/src';

/**
 * The calendar an incident's IHR clock counts in: the center calendar pinned at entry, as the status
 * reports it. A status from a worker older than that field lacks it: the center's current calendar then.
 */
function clockCalendar(
  status: IncidentStatus & { ihr: NonNullable<IncidentStatus['ihr']> },
  planner: IhrClockPlanner,
  policy: Policy,
): Calendar {
  const { coverage } = status.ihr;
  if (status.calendar) {
    return planner.calendarIn(
      { policyVersion: status.policyVersion, supportCenter: status.supportCenter, calendar: status.calendar },
      coverage,
    );
  }
  return coverage === '24x7' ? alwaysOpenCalendar() : policy.calendar(status.supportCenter);
}

/** Coverage time from `nowMs` to the IHR due instant (0 once passed; null once the IHR is settled). */
export function remainingBusinessMs(
  status: IncidentStatus,
  nowMs: number,
  planner: IhrClockPlanner,
  policy: Policy,
): number | null {
  if (status.state !== 'pending' || !status.ihr) return null;
  return businessTimeBetween(
    clockCalendar({ ...status, ihr: status.ihr }, planner, policy),
    nowMs,
    Date.parse(status.ihr.dueAt),
  );
}
