// Pure calendar rules of the yearly health-check cycle (luxon): contract years, eligibility, the
// year's input, review periods, schedule specs. Used by the activities and by the API; never
// imported by workflow code, which receives every instant from activities.
import { DateTime } from 'luxon';
import { luxonZone } from '../../business-time/src';
import type { AccountRecord } from '../../contracts/src/account';
import {
  AccountReviewPeriod,
  AccountReviewPlan,
  ContractYear,
  HEALTH_CHECK_KINDS,
  HealthCheckInput,
  HealthCheckKind,
  TaskOwner,
} from '../../contracts/src/health-check';
import type { Policy } from '../../policy/src/policy';

/** The schedule fires at this local hour on the anniversary. */
export const SCHEDULE_HOUR = 9;
/** A request must be scheduled within this many business days of the center. */
export const SCHEDULE_WITHIN_BUSINESS_DAYS = 10;
/** The reminder goes out this many business days before the scheduled date. */
export const REMIND_BUSINESS_DAYS_BEFORE = 2;

/**
 * Month and day of the yearly anniversary. A contract that starts on 29 February has its
 * anniversary on 28 February every later year (leap years too), so the schedule fires every
 * year and the contract year derived from a firing is unambiguous.
 */
export function anniversaryMonthDay(contractStart: string): { month: number; day: number } {
  const [, m, d] = contractStart.split('-').map(Number);
  return m === 2 && d === 29 ? { month: 2, day: 28 } : { month: m, day: d };
}

/** 00:00 local (center zone) of the anniversary that starts contract year `year`. */
export function anniversaryStart(contractStart: string, year: number, zone: string): DateTime {
  const [startYear, m, d] = contractStart.split('-').map(Number);
  if (year === startYear) return DateTime.fromObject({ year, month: m, day: d }, { zone });
  const { month, day } = anniversaryMonthDay(contractStart);
  return DateTime.fromObject({ year, month, day }, { zone });
}

/**
 * The contract year containing `atMs`: contract year N runs from the anniversary in calendar year N
 * (00:00 in the center's zone) to the next one. Undefined before the contract starts.
 */
export function contractYearAt(contractStart: string, zone: string, atMs: number): ContractYear | undefined {
  const startYear = Number(contractStart.slice(0, 4));
  const at = DateTime.fromMillis(atMs, { zone });
  let year = at.year;
  if (anniversaryStart(contractStart, year, zone).toMillis() > atMs) year -= 1;
  if (year < startYear) return undefined;
  return contractYear(contractStart, zone, year);
}

export function contractYear(contractStart: string, zone: string, year: number): ContractYear {
  return {
    contractYear: year,
    start: anniversaryStart(contractStart, year, zone).toUTC().toISO()!,
    end: anniversaryStart(contractStart, year + 1, zone)
      .toUTC()
      .toISO()!,
  };
}

export function eligibleKinds(policy: Policy, planId: string): HealthCheckKind[] {
  const plan = policy.plan(planId);
  if (!plan) return [];
  return HEALTH_CHECK_KINDS.filter((kind) => plan.features.healthChecks[kind]);
}

/** The account's TAM, else the center's customer-success queue (else its support queue). */
export function ownerFor(policy: Policy, account: Pick<AccountRecord, 'tamId' | 'supportCenter'>): TaskOwner {
  if (account.tamId) return { owner: account.tamId, ownerKind: 'tam' };
  const roles = policy.center(account.supportCenter)?.roles ?? {};
  return {
    owner: roles.customerSuccess ?? roles.supportQueue ?? `${account.supportCenter}-customer-success`,
    ownerKind: 'queue',
  };
}

/** The policy's account-review settings (`accountReviews`, defaulted by the schema). */
export function accountReviewsPolicy(policy: Policy) {
  return policy.document.accountReviews;
}

/** Whether the plan includes recurring account reviews. */
export function hasAccountReviews(policy: Policy, planId: string): boolean {
  return accountReviewsPolicy(policy).plans.includes(planId) && eligibleKinds(policy, planId).length > 0;
}

const PERIOD_NAMES: Record<number, string> = { 1: 'monthly', 3: 'quarterly', 6: 'half-yearly', 12: 'annual' };

/** "host the quarterly account review"; other periods: "host the account review (every 2 months)". */
export function accountReviewTitle(everyMonths: number): string {
  const name = PERIOD_NAMES[everyMonths];
  return name ? `host the ${name} account review` : `host the account review (every ${everyMonths} months)`;
}

/**
 * The review periods of a contract year: period k (from 1) starts at the year's start +
 * (k-1) * everyMonths months in the center's zone (luxon clamps to the month's end: a year starting
 * 31 Jan has its second monthly period on 28/29 Feb, then 31 Mar again, counted from the year's start),
 * and ends at the next period's start or the year's end (the last one may be shorter).
 */
export function accountReviewPeriods(
  year: Pick<ContractYear, 'start' | 'end'>,
  zone: string,
  everyMonths: number,
): AccountReviewPeriod[] {
  if (!Number.isInteger(everyMonths) || everyMonths < 1)
    throw new RangeError(`everyMonths must be a positive whole number (${everyMonths})`);
  const start = DateTime.fromISO(year.start, { zone });
  const endMs = Date.parse(year.end);
  const starts: number[] = [];
  for (let k = 0; ; k++) {
    const at = start.plus({ months: k * everyMonths }).toMillis();
    if (at >= endMs) break;
    starts.push(at);
  }
  return starts.map((at, i) => ({
    review: i + 1,
    start: new Date(at).toISOString(),
    end: new Date(i + 1 < starts.length ? starts[i + 1] : endMs).toISOString(),
  }));
}

/** The account-review plan of a contract year for an account's plan. */
export function accountReviewPlanFor(
  policy: Policy,
  planId: string,
  year: ContractYear,
  zone: string,
): AccountReviewPlan {
  const settings = accountReviewsPolicy(policy);
  return {
    enabled: hasAccountReviews(policy, planId),
    everyMonths: settings.everyMonths,
    dueBusinessDays: settings.dueBusinessDays,
    title: accountReviewTitle(settings.everyMonths),
    periods: accountReviewPeriods(year, zone, settings.everyMonths),
  };
}

/** The schedule spec of an account: yearly on the anniversary, 09:00 in the center's zone. */
export function scheduleSpecFor(contractStart: string, zone: string) {
  const { month, day } = anniversaryMonthDay(contractStart);
  return {
    month,
    day,
    hour: SCHEDULE_HOUR,
    zone,
    key: `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${SCHEDULE_HOUR}@${zone}`,
  };
}

/** The input of the year's workflow, or why there is none. */
export function healthCheckInputFor(
  policy: Policy,
  account: AccountRecord,
  atMs: number,
): { input: HealthCheckInput } | { reason: string } {
  const plan = policy.plan(account.plan);
  const center = policy.center(account.supportCenter);
  if (!plan || !center) return { reason: `unknown plan ${account.plan} or center ${account.supportCenter}` };
  const kinds = eligibleKinds(policy, account.plan);
  if (kinds.length === 0) return { reason: `plan ${account.plan} (${plan.name}) includes no health checks` };
  const zone = center.calendar.zone;
  const year = contractYearAt(account.contractStart, zone, atMs);
  if (!year) return { reason: `the contract starts ${account.contractStart}` };
  return {
    input: {
      ...year,
      ...ownerFor(policy, account),
      accountId: account.accountId,
      accountName: account.name,
      planId: account.plan,
      planName: plan.name,
      supportCenter: account.supportCenter,
      zone,
      kinds,
      reviews: accountReviewPlanFor(policy, account.plan, year, zone),
    },
  };
}

/** A scheduled date: `YYYY-MM-DD` means 09:00 local in the center's zone; an instant is taken as is. */
export function parseScheduledDate(date: string, zone: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    const t = DateTime.fromISO(date, { zone }).set({ hour: SCHEDULE_HOUR });
    return t.isValid ? t.toMillis() : undefined;
  }
  const t = DateTime.fromISO(date, { setZone: true });
  return t.isValid && /[zZ]|[+-]\d{2}:?\d{2}$/.test(date) ? t.toMillis() : undefined;
}

/** "Mon 5 Jan 10:00 Europe/Helsinki" */
export function localLabel(ms: number, zone: string): string {
  return `${DateTime.fromMillis(ms, { zone: luxonZone(zone) }).toFormat('ccc d LLL yyyy HH:mm')} ${zone}`;
}
