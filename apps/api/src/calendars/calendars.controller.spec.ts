import { join } from 'node:path';
import { loadPolicy } from '../../../../libs/policy/src';
import { Problem } from '../common/problem';
import { CalendarsController } from './calendars.controller';

const controller = new CalendarsController(loadPolicy(join(__dirname, '..', '..', '..', '..', 'config', 'sla-policy.yaml')));

function problemOf(call: () => unknown): Problem {
  try {
    call();
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  throw new Error('expected a problem');
}

describe('GET /v1/calendars/:center/due', () => {
  it('explains 16 business hours from Friday 16:00 Helsinki (2026-11-27) as Tuesday 14:00', () => {
    const res = controller.due('emea', { start: '2026-11-27T16:00:00+02:00', hours: '16' });
    expect(res.due).toBe('2026-12-01T14:00:00+02:00');
    expect(res.coverage).toBe('business-hours');
    expect(res.skipped.map((s) => s.reason)).toEqual(['weekend', 'weekend']);
    expect(res.summary).toContain('due Tue 2026-12-01 14:00');
  });

  it('counts 24x7 on request, in the center zone', () => {
    const res = controller.due('emea', { start: '2026-11-29T03:00:00+02:00', duration: '1h', coverage: '24x7' });
    expect(res.due).toBe('2026-11-29T04:00:00+02:00');
  });

  it('skips Epiphany in Helsinki', () => {
    const res = controller.due('emea', { start: '2026-01-06T10:00:00+02:00', hours: '1' });
    expect(res.due).toBe('2026-01-07T09:00:00+02:00');
    expect(res.skipped).toEqual(expect.arrayContaining([expect.objectContaining({ date: '2026-01-06', reason: 'holiday' })]));
  });

  it.each([
    [{ start: '2026-01-06T10:00:00+02:00' }, 'hours'],
    [{ hours: '2', duration: '2h' }, 'hours'],
    [{ hours: '-1' }, 'hours'],
    [{ hours: 'many' }, 'hours'],
    [{ duration: '2 hours' }, 'duration'],
    [{ start: 'tomorrow', hours: '1' }, 'start'],
    [{ hours: '1', coverage: '9to5' }, 'coverage'],
    [{ hours: '1', colour: 'red' }, 'colour'],
    [{ hours: '100000' }, 'hours'],
  ])('rejects %p naming %s', (query, field) => {
    const problem = problemOf(() => controller.due('emea', query));
    expect(problem.status).toBe(400);
    expect(problem.errors.map((e) => e.field)).toContain(field);
  });

  it('answers 404 for an unknown center', () => {
    expect(problemOf(() => controller.due('mars', { hours: '1' })).status).toBe(404);
  });
});
