import { IncidentSummary } from '../incidents/incident-summary';

export const GROUP_BY = ['plan', 'severity', 'account', 'center'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

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

export interface IhrReport {
  from: string;
  to: string;
  groupBy: GroupBy;
  totals: ComplianceCounts;
  groups: Array<{ key: string } & ComplianceCounts>;
  breaches: Array<Pick<IncidentSummary, 'incidentId' | 'accountId' | 'planId' | 'supportCenter' | 'severity' | 'priority' | 'ihrDueAt' | 'summary'>>;
}

const KEY_OF: Record<GroupBy, (i: IncidentSummary) => string> = {
  plan: (i) => i.planId,
  severity: (i) => String(i.severity),
  account: (i) => i.accountId,
  center: (i) => i.supportCenter,
};

function counts(incidents: IncidentSummary[]): ComplianceCounts {
  const c = { total: incidents.length, met: 0, breached: 0, pending: 0, resolved: 0 };
  for (const incident of incidents) c[incident.state] += 1;
  const settled = c.met + c.breached;
  return { ...c, compliancePct: settled === 0 ? null : Math.round((c.met / settled) * 1000) / 10 };
}

/** Compliance of the incidents whose IHR was due in the period, grouped; pure so it is easy to test. */
export function buildIhrReport(incidents: IncidentSummary[], from: string, to: string, groupBy: GroupBy): IhrReport {
  const byKey = new Map<string, IncidentSummary[]>();
  for (const incident of incidents) {
    const key = KEY_OF[groupBy](incident);
    byKey.set(key, [...(byKey.get(key) ?? []), incident]);
  }
  const groups = [...byKey.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([key, members]) => ({ key, ...counts(members) }));
  const breaches = incidents
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
  return { from, to, groupBy, totals: counts(incidents), groups, breaches };
}
