import { DateTime } from 'luxon';
import {
  addBusinessTime,
  alwaysOpenCalendar,
  businessTimeBetween,
  Calendar,
  compileCalendar,
  explain,
  luxonZone,
} from '../../business-time/src';
import type { CoverageKind, IhrClock, PinnedSla, PlannedStep, Severity } from '../../contracts/src/incident';
import { severityKey } from '../../contracts/src/incident';

export interface PlanIhrClockInput {
  pinned: PinnedSla;
  severity: Severity;
  enteredAt: string;
  /** 0 at entry, +1 per reclassification (part of webhook ids). */
  generation: number;
}

export interface MeasureBusinessTimeInput {
  pinned: PinnedSla;
  severity: Severity;
  from: string;
  to: string;
}

/** "Mon 5 Jan 10:00 Europe/Helsinki" */
export function instantLabel(ms: number, zone: string): string {
  return `${DateTime.fromMillis(ms, { zone: luxonZone(zone) }).toFormat('ccc d LLL HH:mm')} ${zone}`;
}

/** "IHR due Mon 5 Jan 10:00 Europe/Helsinki" */
export function dueLabel(dueMs: number, zone: string): string {
  return `IHR due ${instantLabel(dueMs, zone)}`;
}

/**
 * Plans an incident's IHR clock: the only place incident deadlines are computed (from
 * libs/business-time), always from the calendar pinned at entry, never from the current policy.
 * The API plans the first clock at intake (so the start already carries the due instant) and the
 * worker's clock activities plan every later one, with this same code.
 */
export class IhrClockPlanner {
  /** Compiled calendars by policy version + center (+ coverage): compiling costs holiday lookups. */
  private readonly calendars = new Map<string, Calendar>();

  calendarFor(pinned: PinnedSla, severity: Severity): Calendar {
    return this.calendarIn(pinned, pinned.coverage[severityKey(severity)]);
  }

  /** The compiled calendar a clock in `coverage` counts in, from the pinned center calendar. */
  calendarIn(
    pinned: Pick<PinnedSla, 'policyVersion' | 'supportCenter' | 'calendar'>,
    coverage: CoverageKind,
  ): Calendar {
    const key = `${pinned.policyVersion}|${pinned.supportCenter}|${coverage}`;
    let calendar = this.calendars.get(key);
    if (!calendar) {
      calendar = coverage === '24x7' ? alwaysOpenCalendar(pinned.calendar.zone) : compileCalendar(pinned.calendar);
      if (this.calendars.size > 500) this.calendars.clear();
      this.calendars.set(key, calendar);
    }
    return calendar;
  }

  plan(input: PlanIhrClockInput): IhrClock {
    const { pinned, severity, generation } = input;
    const calendar = this.calendarFor(pinned, severity);
    const targetMs = pinned.targets[severityKey(severity)];
    const enteredMs = Date.parse(input.enteredAt);
    const dueMs = addBusinessTime(calendar, enteredMs, targetMs);
    const steps: PlannedStep[] = pinned.ladders[severityKey(severity)].map((step) => {
      const base = { id: step.id, event: step.event, notify: [...step.notify] };
      if ('afterBreachMs' in step.at) return { ...base, afterBreachMs: step.at.afterBreachMs };
      const at =
        step.at.percentOfTarget >= 100
          ? dueMs
          : addBusinessTime(calendar, enteredMs, Math.round((targetMs * step.at.percentOfTarget) / 100));
      return { ...base, at: new Date(at).toISOString(), atLabel: instantLabel(at, calendar.zone) };
    });
    return {
      generation,
      severity,
      coverage: calendar.alwaysOpen ? '24x7' : 'business-hours',
      targetMs,
      dueAt: new Date(dueMs).toISOString(),
      dueLabel: dueLabel(dueMs, calendar.zone),
      steps,
      explanation: explain(calendar, enteredMs, targetMs),
    };
  }

  /** Coverage time between two instants under the severity's coverage (the IHR's time taken). */
  measure(input: MeasureBusinessTimeInput): number {
    const calendar = this.calendarFor(input.pinned, input.severity);
    return businessTimeBetween(calendar, Date.parse(input.from), Date.parse(input.to));
  }
}
