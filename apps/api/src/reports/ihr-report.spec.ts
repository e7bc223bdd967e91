import { IncidentSummary } from '../incidents/incident-summary';
import {
  assembleIhrReport,
  buildIhrReport,
  emptyCounts,
  groupCountQuery,
  lateResponseList,
  residueQuery,
} from './ihr-report';

const incident = (n: number, planId: string, severity: number, state: IncidentSummary['state']): IncidentSummary => ({
  incidentId: `INC-${n}`,
  accountId: n % 2 ? 'acme' : 'globex',
  planId,
  supportCenter: 'emea',
  severity,
  priority: 3,
  state,
  ihrDueAt: `2026-01-0${n}T10:00:00.000Z`,
  dueLabel: null,
  summary: `s${n}`,
  enteredAt: '2026-01-01T00:00:00.000Z',
  open: state === 'pending',
});

describe('buildIhrReport', () => {
  const incidents = [
    incident(1, 'SPE', 1, 'met'),
    incident(2, 'SPE', 2, 'breached'),
    incident(3, 'SP2', 3, 'met'),
    incident(4, 'SP2', 3, 'met'),
    incident(5, 'SP2', 4, 'pending'),
    incident(6, 'SP3', 4, 'resolved'),
  ];

  it('counts each state and computes compliance over settled outcomes only', () => {
    const report = buildIhrReport(incidents, 'a', 'b', 'plan');
    expect(report.totals).toEqual({ total: 6, met: 3, breached: 1, pending: 1, resolved: 1, compliancePct: 75 });
    expect(report.groups).toEqual([
      { key: 'SP2', total: 3, met: 2, breached: 0, pending: 1, resolved: 0, compliancePct: 100 },
      { key: 'SP3', total: 1, met: 0, breached: 0, pending: 0, resolved: 1, compliancePct: null },
      { key: 'SPE', total: 2, met: 1, breached: 1, pending: 0, resolved: 0, compliancePct: 50 },
    ]);
    expect(report.breaches.map((b) => b.incidentId)).toEqual(['INC-2']);
  });

  it('groups by severity, account and center', () => {
    expect(buildIhrReport(incidents, 'a', 'b', 'severity').groups.map((g) => [g.key, g.total])).toEqual([
      ['1', 1],
      ['2', 1],
      ['3', 2],
      ['4', 2],
    ]);
    expect(buildIhrReport(incidents, 'a', 'b', 'account').groups.map((g) => [g.key, g.met])).toEqual([
      ['acme', 2],
      ['globex', 1],
    ]);
    expect(buildIhrReport(incidents, 'a', 'b', 'center').groups).toHaveLength(1);
  });

  it('rounds compliance to one decimal', () => {
    const three = [incident(1, 'SPE', 1, 'met'), incident(2, 'SPE', 1, 'met'), incident(3, 'SPE', 1, 'breached')];
    expect(buildIhrReport(three, 'a', 'b', 'plan').totals.compliancePct).toBe(66.7);
  });

  it('reports an empty period without dividing by zero', () => {
    expect(buildIhrReport([], 'a', 'b', 'plan')).toMatchObject({
      totals: { total: 0, compliancePct: null },
      groups: [],
      breaches: [],
    });
  });
});

describe('count-based report', () => {
  const base = 'WorkflowType = "incidentWorkflow"';

  it('writes one count per group and state, quoting keywords and not severities', () => {
    expect(groupCountQuery(base, 'plan', 'SP"2')).toBe(`${base} AND SlaPlan = "SP\\"2"`);
    expect(groupCountQuery(base, 'severity', '3', 'met')).toBe(`${base} AND SlaSeverity = 3 AND SlaState = "met"`);
    expect(groupCountQuery(base, 'center', 'emea', 'breached')).toBe(
      `${base} AND SlaSupportCenter = "emea" AND SlaState = "breached"`,
    );
    expect(groupCountQuery(base, 'account', 'acme')).toBe(`${base} AND SlaAccountId = "acme"`);
  });

  it('lists the residue outside the known keys', () => {
    expect(residueQuery(base, 'plan', ['SPE', 'SP1'])).toBe(`${base} AND SlaPlan NOT IN ("SPE", "SP1")`);
    expect(residueQuery(base, 'severity', ['1', '2'])).toBe(`${base} AND SlaSeverity NOT IN (1, 2)`);
    expect(residueQuery(base, 'account', [])).toBe(base);
  });

  it('sums the groups into the totals, drops empty groups and truncates nothing by itself', () => {
    const counts = new Map([
      ['SPE', { met: 3, breached: 1, pending: 2, resolved: 0 }],
      ['SP3', emptyCounts()],
      ['SP1', { met: 0, breached: 0, pending: 0, resolved: 4 }],
    ]);
    const report = assembleIhrReport('a', 'b', 'plan', counts, [incident(2, 'SPE', 2, 'breached')], true);
    expect(report.totals).toEqual({ total: 10, met: 3, breached: 1, pending: 2, resolved: 4, compliancePct: 75 });
    expect(report.groups.map((g) => g.key)).toEqual(['SP1', 'SPE']);
    expect(report.breaches.map((b) => b.incidentId)).toEqual(['INC-2']);
    expect(report.breachesTruncated).toBe(true);
  });
});

describe('late responses (issue 14, item 4)', () => {
  const late = (respondedAt: string, recordedAt: string, ihr = true) => ({
    respondedAt,
    recordedAt,
    recordedByKeyId: 'k-agent',
    lagMs: Date.parse(recordedAt) - Date.parse(respondedAt),
    ihr,
  });

  it('lists them by recording instant with their incident, bounded, and says when the list is short', () => {
    const a = late('2026-01-02T09:00:00.000Z', '2026-01-02T10:00:00.000Z');
    const b = late('2026-01-01T09:00:00.000Z', '2026-01-01T09:30:00.000Z');
    const c = late('2026-01-03T09:00:00.000Z', '2026-01-03T11:00:00.000Z', false);
    const incidents = [
      { incidentId: 'INC-A', lateResponses: [a, c], lateResponseCount: 2 },
      { incidentId: 'INC-B', lateResponses: [b], lateResponseCount: 1 },
    ];
    const list = lateResponseList(incidents, false);
    expect(list.lateResponses.map((r) => [r.incidentId, r.recordedAt])).toEqual([
      ['INC-B', b.recordedAt],
      ['INC-A', a.recordedAt],
      ['INC-A', c.recordedAt],
    ]);
    expect(list.lateResponses[0]).toEqual({ incidentId: 'INC-B', ...b });
    expect(list.lateResponsesTruncated).toBe(false);
    expect(lateResponseList(incidents, false, 2)).toMatchObject({ lateResponsesTruncated: true });
    expect(lateResponseList(incidents, true).lateResponsesTruncated).toBe(true);
    // An incident whose memo lists only its first late responses.
    const partial = [{ incidentId: 'INC-C', lateResponses: [a], lateResponseCount: 11 }];
    expect(lateResponseList(partial, false).lateResponsesTruncated).toBe(true);
  });

  it('the report carries them; none by default', () => {
    const one = late('2026-01-02T09:00:00.000Z', '2026-01-02T10:00:00.000Z');
    const incidents = [{ incidentId: 'INC-A', lateResponses: [one], lateResponseCount: 1 }];
    const report = buildIhrReport([], 'a', 'b', 'plan', incidents);
    expect(report.lateResponses).toHaveLength(1);
    expect(buildIhrReport([], 'a', 'b', 'plan')).toMatchObject({ lateResponses: [], lateResponsesTruncated: false });
  });
});
