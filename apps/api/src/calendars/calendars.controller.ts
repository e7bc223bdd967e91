import { Controller, Get, Inject, Optional, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Principal } from '../../../../libs/auth/src';
import { alwaysOpenCalendar, explain, explainCounts } from '../../../../libs/business-time/src';
import { parseDuration, POLICY, Policy } from '../../../../libs/policy/src';
import { Caller } from '../auth/auth.decorators';
import { Endpoint } from '../common/endpoint';
import { Problem } from '../common/problem';
import { Parsed, ZodValidationPipe } from '../common/pipes/zod-validation.pipe';
import { RATE_LIMITER, tooManyRequests } from '../observability/rate-limit.guard';
import { RateLimiter } from '../observability/rate-limiter';
import { WhatIfSchema } from './calendar.schemas';

/**
 * The longest what-if (docs/api.md): far above any IHR target (the longest is 40 h), about five months of
 * business days. A year (8,784 h) cost ~260 ms of CPU and 132 KB per call and let one key slow every
 * other key's requests.
 */
export const MAX_WHAT_IF_HOURS = 1_000;
const MAX_HOURS = MAX_WHAT_IF_HOURS;
/** `explain=full` lists at most this many counted intervals and skipped days each (`truncated` says so). */
export const MAX_EXPLAIN_ENTRIES = 400;

/**
 * Rate-limit tokens a what-if costs: 1 plus 1 per 100 hours of duration, doubled for `explain=full`.
 * Its CPU grows with the span walked, where other requests cost about the same each.
 */
export function whatIfCost(durationMs: number, full: boolean): number {
  return (1 + Math.floor(durationMs / (100 * 3600_000))) * (full ? 2 : 1);
}

export const whatIfQuery = z
  .strictObject({
    start: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 instant with offset' })
      .optional()
      .describe('ISO 8601 instant with offset; default now'),
    hours: z.coerce
      .number('must be a number')
      .positive('must be above 0')
      .max(MAX_HOURS, `must be at most ${MAX_HOURS}`)
      .optional()
      .describe(`business hours to count (above 0, at most ${MAX_HOURS})`),
    duration: z
      .string()
      .refine((d) => (parseDuration(d) ?? 0) > 0, 'must be a positive duration such as 4h or 1h30m')
      .refine((d) => (parseDuration(d) ?? 0) <= MAX_HOURS * 3600_000, `must be at most ${MAX_HOURS}h`)
      .optional()
      .describe(`instead of hours: e.g. 4h, 1h30m (at most ${MAX_HOURS}h)`),
    coverage: z.enum(['business-hours', '24x7'], 'must be business-hours or 24x7').default('business-hours'),
    explain: z
      .enum(['summary', 'full'], 'must be summary or full')
      .default('summary')
      .describe(
        'summary (default): counts and a one-line summary; ' +
          `full: every counted interval and skipped day (at most ${MAX_EXPLAIN_ENTRIES} each)`,
      ),
  })
  .refine((q) => (q.hours === undefined) !== (q.duration === undefined), {
    message: 'give exactly one of hours or duration',
    path: ['hours'],
  });

@ApiTags('calendars')
@Controller('v1/calendars')
export class CalendarsController {
  constructor(
    @Inject(POLICY) private readonly policy: Policy,
    @Optional() @Inject(RATE_LIMITER) private readonly limiter?: RateLimiter,
  ) {}

  @Get(':center/due')
  @Endpoint({
    operationId: 'whatIfDue',
    temporal: false,
    summary: "What-if: the due instant of a duration counted from start in a center's calendar, with the explanation",
    description:
      'Give exactly one of `hours` or `duration` (at most 1000 h); `start` defaults to now. ' +
      'The default answer gives counts and a one-line summary; `explain=full` lists every counted interval ' +
      'and skipped day (at most 400 each; `truncated` says when more were cut). ' +
      'A long what-if weighs more against the rate limit: 1 request plus 1 per 100 h, doubled for `explain=full`.',
    params: { center: z.string().describe('support center id, e.g. emea') },
    query: whatIfQuery,
    responses: {
      200: {
        description: 'The due instant and how it was counted: counts by default, the per-day lists with `explain=full`',
        schema: WhatIfSchema,
      },
    },
    errors: { 404: 'No such support center' },
  })
  due(
    @Param('center') center: string,
    @Query(new ZodValidationPipe(whatIfQuery)) q: Parsed<typeof whatIfQuery>,
    @Caller() caller?: Principal,
  ) {
    if (!this.policy.center(center)) {
      throw Problem.notFound(`No support center ${center}; known: ${this.policy.centerIds().join(', ')}.`);
    }
    const centerCalendar = this.policy.calendar(center);
    const calendar = q.coverage === '24x7' ? alwaysOpenCalendar(centerCalendar.zone) : centerCalendar;
    const startMs = q.start ? Date.parse(q.start) : Date.now();
    const durationMs = q.duration ? parseDuration(q.duration)! : Math.round(q.hours! * 3600_000);
    const full = q.explain === 'full';
    // The guard took one token for the request; a long what-if takes the rest of its weight here.
    // At most a full bucket in all, so a long what-if can pass on an idle key.
    const extra = this.limiter ? Math.min(whatIfCost(durationMs, full), this.limiter.burst) - 1 : 0;
    if (caller && this.limiter && extra > 0) {
      const allowed = this.limiter.take(caller.keyId, Date.now(), extra);
      if (!allowed.ok) {
        const detail = `A what-if of this length weighs ${extra + 1} requests; the key's rate limit is spent.`;
        throw tooManyRequests(detail, allowed.retryAfterSeconds);
      }
    }
    if (!full) return { center, ...explainCounts(calendar, startMs, durationMs) };
    const explanation = explain(calendar, startMs, durationMs);
    const truncated = Math.max(explanation.counted.length, explanation.skipped.length) > MAX_EXPLAIN_ENTRIES;
    return {
      center,
      ...explanation,
      counted: explanation.counted.slice(0, MAX_EXPLAIN_ENTRIES),
      skipped: explanation.skipped.slice(0, MAX_EXPLAIN_ENTRIES),
      ...(truncated ? { truncated: true } : {}),
    };
  }
}
