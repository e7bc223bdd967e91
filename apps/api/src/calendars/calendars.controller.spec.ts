import { join } from 'node:path';
import { loadPolicy } from '../../../../libs/policy/src';
import { holidaySource, MAX_CACHED_HOLIDAY_YEARS } from '../../../../libs/business-time/src/holidays';
import type { Principal } from '../../../../libs/auth/src';
import { Problem } from '../common/problem';
import { RateLimiter } from '../observability/rate-limiter';
import { WhatIfFullSchema, WhatIfSchema, WhatIfSummarySchema } from './calendar.schemas';
import { ZodValidationPipe } from '../common/pipes/zod-validation.pipe';
import { CalendarsController, MAX_EXPLAIN_ENTRIES, whatIfQuery } from './calendars.controller';

const policy = loadPolicy(join(__dirname, '..', '..', '..', '..', 'config', 'sla-policy.yaml'));
const controller = new CalendarsController(policy);
/** The query as the route gets it: through the pipe its @Query() names (which answers the 400s). */
const queryPipe = new ZodValidationPipe(whatIfQuery);
const due = (on: CalendarsController, center: string, query: Record<string, string>, caller?: Principal) =>
  on.due(center, queryPipe.transform(query, { type: 'query' }), caller);
/** The answer with `explain=full` (typed loosely: the two answers differ in shape). */
const full = (center: string, query: Record<string, string>): any =>
  due(controller, center, { ...query, explain: 'full' });

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
    const res = full('emea', { start: '2026-11-27T16:00:00+02:00', hours: '16' });
    expect(res.due).toBe('2026-12-01T14:00:00+02:00');
    expect(res.coverage).toBe('business-hours');
    expect(res.skipped.map((s: { reason: string }) => s.reason)).toEqual(['weekend', 'weekend']);
    expect(res.summary).toContain('due Tue 2026-12-01 14:00');
  });

  it('counts 24x7 on request, in the center zone', () => {
    const res = due(controller, 'emea', { start: '2026-11-29T03:00:00+02:00', duration: '1h', coverage: '24x7' });
    expect(res.due).toBe('2026-11-29T04:00:00+02:00');
  });

  it('skips Epiphany in Helsinki', () => {
    const res = full('emea', { start: '2026-01-06T10:00:00+02:00', hours: '1' });
    expect(res.due).toBe('2026-01-07T09:00:00+02:00');
    const epiphany = expect.objectContaining({ date: '2026-01-06', reason: 'holiday' });
    expect(res.skipped).toEqual(expect.arrayContaining([epiphany]));
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
    [{ hours: '8784' }, 'hours'],
    [{ hours: '1000.5' }, 'hours'],
    [{ duration: '1001h' }, 'duration'],
    [{ hours: '4', explain: 'everything' }, 'explain'],
  ])('rejects %p naming %s', (query, field) => {
    const problem = problemOf(() => due(controller, 'emea', query));
    expect(problem.status).toBe(400);
    expect(problem.errors.map((e) => e.field)).toContain(field);
  });

  it('answers 404 for an unknown center', () => {
    expect(problemOf(() => due(controller, 'mars', { hours: '1' })).status).toBe(404);
  });

  describe('bounded cost (issue 14, item 10)', () => {
    it('answers counts and a summary by default, the same due instant as the full explanation', () => {
      const query = { start: '2026-11-27T16:00:00+02:00', hours: '16' };
      const res: any = due(controller, 'emea', query);
      expect(res).not.toHaveProperty('counted');
      expect(res).not.toHaveProperty('skipped');
      const skipped = { weekend: 2, holiday: 0, closure: 0, closed: 0 };
      expect(res.counts).toEqual({ counted: 3, skipped, dstShifts: 0 });
      expect(res.summary).toBe(
        '16h of business hours from Fri 2026-11-27 16:00 EET: counted 3 intervals; skipped 2 days (2 weekend); ' +
          'due Tue 2026-12-01 14:00 EET',
      );
      expect(res.due).toBe(full('emea', query).due);
    });

    it('keeps the default answer of the longest what-if small, and caps the full one', () => {
      const query = { start: '2026-01-05T10:00:00+02:00', hours: '1000' };
      expect(JSON.stringify(due(controller, 'americas', query)).length).toBeLessThan(1_000);
      const detailed = full('americas', query);
      expect(detailed.counted.length).toBeGreaterThan(50);
      expect(detailed.counted.length).toBeLessThanOrEqual(MAX_EXPLAIN_ENTRIES);
      const longest = { start: '2026-01-05T10:00:00+02:00', duration: '1000h' };
      expect(full('emea', longest).due).toBe((due(controller, 'emea', longest) as any).due);
    });

    it('serializes both answers through the documented WhatIf schema without dropping a member', () => {
      const query = { start: '2026-12-24T10:00:00+02:00', hours: '40' };
      const summary = due(controller, 'emea', query);
      expect(WhatIfSummarySchema.safeParse(summary).success).toBe(true);
      expect(WhatIfFullSchema.safeParse(summary).success).toBe(false);
      expect(WhatIfSchema.parse(summary)).toEqual(summary);
      const detailed = full('emea', query);
      expect(WhatIfFullSchema.safeParse(detailed).success).toBe(true);
      expect(WhatIfSummarySchema.safeParse(detailed).success).toBe(false);
      expect(WhatIfSchema.parse(detailed)).toEqual(detailed);
      const truncated = { ...detailed, truncated: true };
      expect(WhatIfSchema.parse(truncated)).toEqual(truncated);
    });

    it("weighs a long what-if in the key's rate limit, leaving other keys alone", () => {
      const limiter = new RateLimiter(60); // 1 a second, bursts of 10
      const weighed = new CalendarsController(policy, limiter);
      const heavy: Principal = { keyId: 'heavy', role: 'customer', accountId: 'acme' };
      const now = Date.now();
      // As the guard would: one token per request, then the what-if's weight.
      expect(limiter.take('heavy', now).ok).toBe(true);
      due(weighed, 'emea', { hours: '1000' }, heavy);
      expect(limiter.take('heavy', now).ok).toBe(false);
      expect(problemOf(() => due(weighed, 'emea', { hours: '1000' }, heavy)).status).toBe(429);
      for (let i = 0; i < 10; i++) expect(limiter.take('light', now).ok).toBe(true);
    });

    it('keeps a bounded number of holiday years per calendar', () => {
      const source = holidaySource({ country: 'FI' }, 'Europe/Helsinki');
      for (let y = 1900; y < 1960; y++) source.year(y);
      expect(source.cachedYears).toBeLessThanOrEqual(MAX_CACHED_HOLIDAY_YEARS);
    });
  });
});
