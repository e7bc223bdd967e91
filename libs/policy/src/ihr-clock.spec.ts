import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Severity } from '../../contracts/src/incident';
import { buildPolicy, IhrClockPlanner, pinSla } from '.';

// Fixed-date rule examples for the clock planner (no Temporal), the code behind the API's first clock and the clock
// activities.
const policy = buildPolicy(
  parse(readFileSync(join(__dirname, '..', '..', '..', 'config', 'sla-policy.yaml'), 'utf8')),
  'config',
);
const clock = new IhrClockPlanner();
const HOUR = 3_600_000;
const plan = (planId: string, center: string, severity: Severity, enteredAt: string) =>
  clock.plan({ pinned: pinSla(policy, planId, center), severity, enteredAt, generation: 0 });

describe('planIhrClock', () => {
  it('SP2 Sev 3 entered Friday 16:00 Helsinki (9 Jan 2026, no holiday near) is due Tuesday 14:00 with 50/75 % steps', async () => {
    const c = await plan('SP2', 'emea', 3, '2026-01-09T14:00:00Z'); // 16:00 EET
    expect(c).toMatchObject({ coverage: 'business-hours', targetMs: 16 * HOUR, dueAt: '2026-01-13T12:00:00.000Z' });
    expect(c.dueLabel).toBe('IHR due Tue 13 Jan 14:00 Europe/Helsinki');
    expect(c.steps).toEqual([
      {
        id: 'warn',
        event: 'ihr.warning',
        notify: ['supportQueue'],
        at: '2026-01-12T13:00:00.000Z',
        atLabel: 'Mon 12 Jan 15:00 Europe/Helsinki',
      },
      {
        id: 'at_risk',
        event: 'ihr.at_risk',
        notify: ['supportLead'],
        at: '2026-01-13T08:00:00.000Z',
        atLabel: 'Tue 13 Jan 10:00 Europe/Helsinki',
      },
      {
        id: 'breach',
        event: 'ihr.breached',
        notify: ['supportManager', 'tam'],
        at: '2026-01-13T12:00:00.000Z',
        atLabel: 'Tue 13 Jan 14:00 Europe/Helsinki',
      },
    ]);
    expect(c.explanation.counted.map((i) => i.ms)).toEqual([HOUR, 9 * HOUR, 6 * HOUR]);
  });

  it('an incident entered on Epiphany (Tue 6 Jan 2026, FI public holiday) starts counting Wednesday 08:00', async () => {
    const c = await plan('SP2', 'emea', 3, '2026-01-06T08:00:00Z'); // 10:00 on the holiday
    expect(c.explanation.counted[0].from).toBe('2026-01-07T08:00:00+02:00');
    expect(c.dueAt).toBe('2026-01-08T13:00:00.000Z'); // Wed 9 h + Thu 7 h -> Thu 15:00
    expect(c.steps[0].at).toBe('2026-01-07T14:00:00.000Z'); // 8 h -> Wed 16:00
    expect(c.explanation.skipped).toEqual([expect.objectContaining({ date: '2026-01-06', reason: 'holiday' })]);
  });

  it('Christmas Eve is closed by config: Thu 24 Dec 2026 counts from Mon 28 Dec 08:00', async () => {
    const c = await plan('SP2', 'emea', 4, '2026-12-24T08:00:00Z');
    expect(c.explanation.counted[0].from).toBe('2026-12-28T08:00:00+02:00');
    expect(c.dueAt).toBe('2026-12-30T12:00:00.000Z'); // 24 h: Mon 9 + Tue 9 + Wed 6 -> Wed 14:00
    expect(c.explanation.skipped.map((s) => [s.date, s.reason, s.name])).toEqual(
      expect.arrayContaining([['2026-12-24', 'holiday', 'Christmas Eve']]),
    );
  });

  it('SPE Sev 1 at 03:00 Sunday is due 04:00 (24x7), with level 2 one hour after the breach', async () => {
    const c = await plan('SPE', 'emea', 1, '2026-01-11T01:00:00Z');
    expect(c).toMatchObject({ coverage: '24x7', targetMs: HOUR, dueAt: '2026-01-11T02:00:00.000Z' });
    expect(c.steps.map((s) => [s.id, s.at ?? s.afterBreachMs])).toEqual([
      ['warn', '2026-01-11T01:30:00.000Z'],
      ['at_risk', '2026-01-11T01:45:00.000Z'],
      ['breach', '2026-01-11T02:00:00.000Z'],
      ['level2', HOUR],
    ]);
  });

  it('SP1 Sev 1 is 24x7 while SP1 Sev 2 is business hours (Saturday 10 Jan 2026 10:00 Helsinki)', async () => {
    const sev1 = await plan('SP1', 'emea', 1, '2026-01-10T08:00:00Z');
    const sev2 = await plan('SP1', 'emea', 2, '2026-01-10T08:00:00Z');
    expect(sev1).toMatchObject({ coverage: '24x7', dueAt: '2026-01-10T10:00:00.000Z' });
    expect(sev2).toMatchObject({ coverage: 'business-hours', dueAt: '2026-01-12T10:00:00.000Z' }); // Mon 12:00
  });

  it('New York spring-forward weekend: Friday 14:00 EST to Tuesday 10:00 EDT (16 business hours)', async () => {
    const c = await plan('SP2', 'americas', 3, '2026-03-06T19:00:00Z');
    expect(c.dueAt).toBe('2026-03-10T14:00:00.000Z'); // Fri 4 h + Mon 10 h + Tue 2 h; 10:00 EDT = 14:00Z
    expect(c.dueLabel).toBe('IHR due Tue 10 Mar 10:00 America/New_York');
    expect(c.explanation.counted[1]).toMatchObject({ from: '2026-03-09T08:00:00-04:00', ms: 10 * HOUR });
  });

  it('24x7 across the New York DST change counts real elapsed time', async () => {
    const spring = await plan('SPE', 'americas', 2, '2026-03-08T05:30:00Z'); // 00:30 EST, 2 h
    expect(spring.dueAt).toBe('2026-03-08T07:30:00.000Z');
    expect(spring.dueLabel).toBe('IHR due Sun 8 Mar 03:30 America/New_York');
    const fall = await plan('SPE', 'americas', 3, '2026-11-01T04:00:00Z'); // 00:00 EDT, 4 h
    expect(fall.dueLabel).toBe('IHR due Sun 1 Nov 03:00 America/New_York');
  });

  it('uses the pinned snapshot, not the current policy: a later target change does not retarget', async () => {
    const pinned = pinSla(policy, 'SP2', 'emea');
    const changed = { ...pinned, policyVersion: 'other', targets: { ...pinned.targets, sev3: 2 * HOUR } };
    const before = await clock.plan({ pinned, severity: 3, enteredAt: '2026-01-09T14:00:00Z', generation: 0 });
    const after = await clock.plan({ pinned: changed, severity: 3, enteredAt: '2026-01-09T14:00:00Z', generation: 1 });
    expect(before.dueAt).toBe('2026-01-13T12:00:00.000Z');
    expect(after.dueAt).toBe('2026-01-12T07:00:00.000Z'); // the changed snapshot: Fri 1 h + Mon 1 h
    expect(after.generation).toBe(1);
  });

  it('measures business time taken under the severity coverage', async () => {
    const pinned = pinSla(policy, 'SP2', 'emea');
    expect(await clock.measure({ pinned, severity: 3, from: '2026-01-09T14:00:00Z', to: '2026-01-12T07:00:00Z' })).toBe(
      2 * HOUR,
    );
    expect(
      await clock.measure({
        pinned: pinSla(policy, 'SPE', 'emea'),
        severity: 3,
        from: '2026-01-09T14:00:00Z',
        to: '2026-01-12T07:00:00Z',
      }),
    ).toBe(65 * HOUR);
  });
});
