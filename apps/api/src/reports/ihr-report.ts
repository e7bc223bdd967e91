import { IncidentState, LateResponse } from '../../../../libs/contracts/src';
import { literal } from '../common/visibility';
import { IncidentSummary } from '../incidents/incident-summary';

export const GROUP_BY = ['plan', 'severity', 'account', 'center'] as const;
export type GroupBy = (typeof GROUP_BY)[number];
export const STATES: readonly IncidentState[] = ['met', 'breached', 'pending', 'resolved'];
export type StateCounts = Record<IncidentState, number>;

/**
 * The breach list holds at most this many incidents (the counts are always complete): one list page. Each
 * row costs ~2 ms to fetch and decode (its memo travels with it), so 1000 of them kept a report over 6,000
 * incidents on the cluster at 3.3 s; narrow the period to list more.
 */
export const MAX_BREACHES = 200;

/** The late-response list holds at most this many responses (like the breach list: one page of incidents). */
export const MAX_LATE_RESPONSES_LISTED = 200;

/** A response recorded more than 15 minutes after the instant it claims, with the key that recorded it. */
export interface LateResponseRow extends LateResponse {
  incidentId: string;
}

export type LateResponseList = Pick<IhrReport, 'lateResponses' | 'lateResponsesTruncated'>;

/** What the report reads of an incident with late responses: its memo's bounded list and full count. */
export interface IncidentLateResponses {
  incidentId: string;
  lateResponses?: LateResponse[];
  lateResponseCount?: number;
}

/**
 * The late responses of the incidents read, by recording instant, at most `max`; truncated when there
 * were more (more incidents than read, or an incident whose memo lists only its first ones).
 */
export function lateResponseList(
  incidents: IncidentLateResponses[],
  moreIncidents: boolean,
  max = MAX_LATE_RESPONSES_LISTED,
): LateResponseList {
  const rows = incidents
    .flatMap(({ incidentId, lateResponses = [] }) => lateResponses.map((late) => ({ incidentId, ...late })))
    .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.incidentId.localeCompare(b.incidentId));
  const partial = incidents.some((i) => (i.lateResponseCount ?? 0) > (i.lateResponses?.length ?? 0));
  return { lateResponses: rows.slice(0, max), lateResponsesTruncated: moreIncidents || partial || rows.length > max };
}

export interface ComplianceCounts {
  total: number;
  met: number;
  breached: number;
  pending: number;
  /** Resolved before any IHR outcome: no SLA outcome, left out of compliance. */
  resolved: number;
  /** met / (met + breached) in percent with one decimal; null when nothing is settled. */
  compliancePct: number | null;
}

export type Breach = Pick<
  IncidentSummary,
  'incidentId' | 'accountId' | 'planId' | 'supportCenter' | 'severity' | 'priority' | 'ihrDueAt' | 'summary'
>;

export interface IhrReport {
  from: string;
  to: string;
  groupBy: GroupBy;
  totals: ComplianceCounts;
  groups: Array<{ key: string } & ComplianceCounts>;
  /** Breached incidents by due instant; at most MAX_BREACHES of them (see breachesTruncated). */
  breaches: Breach[];
  /** true when more incidents breached than the list holds: narrow the period to see them all. */
  breachesTruncated: boolean;
  /** Responses recorded more than 15 min after their claimed instant, by recording instant (bounded). */
  lateResponses: LateResponseRow[];
  /** true when there were more late responses than the list holds: narrow the period to see them all. */
  lateResponsesTruncated: boolean;
}

/** The search attribute each grouping counts by, and how a key is written in a visibility query. */
export const GROUP_ATTRIBUTE: Record<GroupBy, { name: string; value: (key: string) => string }> = {
  plan: { name: 'SlaPlan', value: literal },
  severity: { name: 'SlaSeverity', value: (key) => String(Number(key)) },
  account: { name: 'SlaAccountId', value: literal },
  center: { name: 'SlaSupportCenter', value: literal },
};

const KEY_OF: Record<GroupBy, (i: IncidentSummary) => string> = {
  plan: (i) => i.planId,
  severity: (i) => String(i.severity),
  account: (i) => i.accountId,
  center: (i) => i.supportCenter,
};

/** `base AND <attribute> = key [AND SlaState = state]`: one count of the report. */
export function groupCountQuery(base: string, groupBy: GroupBy, key: string, state?: IncidentState): string {
  const { name, value } = GROUP_ATTRIBUTE[groupBy];
  return [base, `${name} = ${value(key)}`, ...(state ? [`SlaState = ${literal(state)}`] : [])].join(' AND ');
}

/** The incidents of `base` whose key is none of `keys` (a plan since removed from the policy, say). */
export function residueQuery(base: string, groupBy: GroupBy, keys: readonly string[]): string {
  const { name, value } = GROUP_ATTRIBUTE[groupBy];
  return keys.length === 0 ? base : `${base} AND ${name} NOT IN (${keys.map(value).join(', ')})`;
}

export const emptyCounts = (): StateCounts => ({ met: 0, breached: 0, pending: 0, resolved: 0 });

function compliance(c: StateCounts): ComplianceCounts {
  const settled = c.met + c.breached;
  return {
    total: c.met + c.breached + c.pending + c.resolved,
    met: c.met,
    breached: c.breached,
    pending: c.pending,
    resolved: c.resolved,
    compliancePct: settled === 0 ? null : Math.round((c.met / settled) * 1000) / 10,
  };
}

/** State counts per key of incidents already read (the residue of a count-based report, and tests). */
export function countByKey(incidents: IncidentSummary[], groupBy: GroupBy): Map<string, StateCounts> {
  const byKey = new Map<string, StateCounts>();
  for (const incident of incidents) {
    const key = KEY_OF[groupBy](incident);
    const counts = byKey.get(key) ?? emptyCounts();
    counts[incident.state] += 1;
    byKey.set(key, counts);
  }
  return byKey;
}

/**
 * The report from state counts per group (empty groups left out) and the breached incidents read;
 * pure so it is easy to test. Totals are the sum of the groups, so the two always agree.
 */
export function assembleIhrReport(
  from: string,
  to: string,
  groupBy: GroupBy,
  counts: Map<string, StateCounts>,
  breached: IncidentSummary[],
  breachesTruncated = false,
  late: LateResponseList = { lateResponses: [], lateResponsesTruncated: false },
): IhrReport {
  const total = emptyCounts();
  for (const c of counts.values()) for (const state of STATES) total[state] += c[state];
  const groups = [...counts.entries()]
    .map(([key, c]) => ({ key, ...compliance(c) }))
    .filter((g) => g.total > 0)
    .sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
  const breaches = breached
    .filter((i) => i.state === 'breached')
    .sort((a, b) => (a.ihrDueAt ?? '').localeCompare(b.ihrDueAt ?? ''))
    .map(({ incidentId, accountId, planId, supportCenter, severity, priority, ihrDueAt, summary }) => ({
      incidentId,
      accountId,
      planId,
      supportCenter,
      severity,
      priority,
      ihrDueAt,
      summary,
    }));
  return { from, to, groupBy, totals: compliance(total), groups, breaches, breachesTruncated, ...late };
}

/** Compliance of incidents already read, grouped (every incident in hand; the breach list complete). */
export function buildIhrReport(
  incidents: IncidentSummary[],
  from: string,
  to: string,
  groupBy: GroupBy,
  late: IncidentLateResponses[] = [],
): IhrReport {
  const counts = countByKey(incidents, groupBy);
  return assembleIhrReport(from, to, groupBy, counts, incidents, false, lateResponseList(late, false));
}
