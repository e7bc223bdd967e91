import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildPolicy } from './load';
import { pinSla } from './pin';

const doc = () => parse(readFileSync(join(__dirname, '..', '..', '..', 'config', 'sla-policy.yaml'), 'utf8'));

describe('pinSla', () => {
  it('snapshots targets in ms, coverage, ladders per severity, critical-open flags and the calendar', () => {
    const policy = buildPolicy(doc());
    const pinned = pinSla(policy, 'SP1', 'emea');
    expect(pinned).toMatchObject({
      planId: 'SP1',
      planName: 'Premium',
      supportCenter: 'emea',
      zone: 'Europe/Helsinki',
      policyVersion: policy.version,
      targets: { sev1: 2 * 3600_000, sev2: 4 * 3600_000, sev3: 8 * 3600_000, sev4: 16 * 3600_000 },
      coverage: { sev1: '24x7', sev2: 'business-hours', sev3: 'business-hours', sev4: 'business-hours' },
      criticalOpen: { sev1: true, sev2: false, sev3: false, sev4: false },
      criticalOpenStep: { event: 'incident.critical_opened', notify: ['dutyManager', 'tam'] },
    });
    expect(pinned.ladders.sev1.map((s) => s.id)).toEqual(['warn', 'at_risk', 'breach', 'level2']);
    expect(pinned.ladders.sev3.map((s) => s.id)).toEqual(['warn', 'at_risk', 'breach']);
    expect(pinned.ladders.sev2[3].at).toEqual({ afterBreachMs: 3600_000 });
    expect(pinned.calendar).toEqual(policy.document.supportCenters.emea.calendar);
    expect(pinned.calendar).not.toBe(policy.document.supportCenters.emea.calendar);
    expect(JSON.parse(JSON.stringify(pinned))).toEqual(pinned);
  });

  it('resolves ladder overrides per plan and severity', () => {
    const d = doc();
    d.escalation.overrides = [
      {
        plans: ['SPE'],
        severities: [1],
        ladder: [{ id: 'page', event: 'ihr.warning', at: { percentOfTarget: 25 }, notify: ['dutyManager'] }],
      },
    ];
    const pinned = pinSla(buildPolicy(d), 'SPE', 'americas');
    expect(pinned.ladders.sev1).toEqual([
      { id: 'page', event: 'ihr.warning', notify: ['dutyManager'], at: { percentOfTarget: 25 } },
    ]);
    expect(pinned.ladders.sev2.map((s) => s.id)).toEqual(['warn', 'at_risk', 'breach', 'level2']);
  });

  it('names an unknown plan or center', () => {
    const policy = buildPolicy(doc());
    expect(() => pinSla(policy, 'GOLD', 'emea')).toThrow('unknown plan GOLD');
    expect(() => pinSla(policy, 'SP1', 'mars')).toThrow('unknown support center mars');
  });
});
