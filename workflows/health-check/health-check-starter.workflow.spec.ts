import { scheduledTimeOf } from './health-check-starter.workflow';

describe('health-check starter workflow', () => {
  it('derives the scheduled time from the starter workflow ID the schedule assigns', () => {
    expect(scheduledTimeOf('health-checks/acme-2027-03-01T07:00:00Z', 0)).toBe('2027-03-01T07:00:00.000Z');
    // Started by hand (no suffix): the workflow's own start.
    const started = Date.parse('2026-05-01T00:00:00Z');
    expect(scheduledTimeOf('health-checks/my-acct-2', started)).toBe('2026-05-01T00:00:00.000Z');
  });
});
