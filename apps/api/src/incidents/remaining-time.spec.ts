import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { IncidentStatus } from '../../../../libs/contracts/src';
import { buildPolicy, IhrClockPlanner, pinSla } from '../../../../libs/policy/src';
import { remainingBusinessMs } from './remaining-time';

const H = 3_600_000;
const policy = buildPolicy(
  parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'config', 'sla-policy.yaml'), 'utf8')),
  'config',
);
const planner = new IhrClockPlanner();

/**
 * A pending SP2 status in `americas` (current calendar: Mon-Fri 08:00-18:00 New York) due at `dueAt`,
 * with only the fields remainingBusinessMs reads.
 */
function pendingStatus(dueAt: string, calendar?: IncidentStatus['calendar']): IncidentStatus {
  const pinned = pinSla(policy, 'SP2', 'americas');
  const clock = planner.plan({ pinned, severity: 3, enteredAt: '2026-12-01T14:00:00Z', generation: 0 });
  const status = {
    state: 'pending',
    supportCenter: 'americas',
    // Another version than the current policy's: the pinned calendar is not in the planner's cache.
    policyVersion: 'pinned-before-a-policy-change',
    ...(calendar ? { calendar } : {}),
    ihr: { ...clock, coverage: 'business-hours', dueAt },
  };
  return status as IncidentStatus;
}

describe('remainingBusinessMs', () => {
  // Wed 2 Dec 2026 10:00 New York (15:00Z) to Thu 3 Dec 10:00 New York (15:00Z).
  const now = Date.parse('2026-12-02T15:00:00Z');
  const due = '2026-12-03T15:00:00Z';

  it('counts in the calendar pinned at entry, not the center calendar the policy has now', () => {
    // Pinned: 09:00-13:00 only, so Wed 10-13 + Thu 09-10 = 4 h (the current 08-18 calendar would say 10 h).
    const pinnedCalendar = {
      zone: 'America/New_York',
      weekly: {
        mon: ['09:00-13:00'],
        tue: ['09:00-13:00'],
        wed: ['09:00-13:00'],
        thu: ['09:00-13:00'],
        fri: ['09:00-13:00'],
      },
    };
    expect(remainingBusinessMs(pendingStatus(due, pinnedCalendar), now, planner, policy)).toBe(4 * H);
  });

  it('falls back to the current center calendar for a status without one (older worker)', () => {
    expect(remainingBusinessMs(pendingStatus(due), now, planner, policy)).toBe(10 * H);
  });

  it('is 0 once the due instant passed and null once the IHR is settled', () => {
    expect(remainingBusinessMs(pendingStatus(due), Date.parse('2026-12-04T15:00:00Z'), planner, policy)).toBe(0);
    expect(remainingBusinessMs({ ...pendingStatus(due), state: 'met' }, now, planner, policy)).toBeNull();
  });
});
