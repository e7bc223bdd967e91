import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { alwaysOpenCalendar, explain } from '../../../../libs/business-time/src';
import { parseDuration, POLICY, Policy } from '../../../../libs/policy/src';
import { Endpoint } from '../common/endpoint';
import { Problem } from '../common/problem';
import { parseOrThrow } from '../common/validation';
import { WhatIfSchema } from './calendar.schemas';

const MAX_HOURS = 24 * 366;

const whatIfQuery = z
  .strictObject({
    start: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant with offset' }).optional(),
    hours: z.coerce.number('must be a number').positive('must be above 0').max(MAX_HOURS, `must be at most ${MAX_HOURS}`).optional(),
    duration: z
      .string()
      .refine((d) => (parseDuration(d) ?? 0) > 0, 'must be a positive duration such as 4h or 1h30m')
      .refine((d) => (parseDuration(d) ?? 0) <= MAX_HOURS * 3600_000, `must be at most ${MAX_HOURS}h`)
      .optional(),
    coverage: z.enum(['business-hours', '24x7'], 'must be business-hours or 24x7').default('business-hours'),
  })
  .refine((q) => (q.hours === undefined) !== (q.duration === undefined), {
    message: 'give exactly one of hours or duration',
    path: ['hours'],
  });

@ApiTags('calendars')
@Controller('v1/calendars')
export class CalendarsController {
  constructor(@Inject(POLICY) private readonly policy: Policy) {}

  @Get(':center/due')
  @Endpoint({
    operationId: 'whatIfDue',
    summary: "What-if: the due instant of a duration counted from start in a center's calendar, with the explanation",
    description: 'Give exactly one of `hours` or `duration`; `start` defaults to now.',
    params: { center: z.string().describe('support center id, e.g. emea') },
    query: whatIfQuery,
    responses: { 200: { description: 'The due instant and how it was counted', schema: WhatIfSchema } },
    errors: { 404: 'No such support center' },
  })
  due(@Param('center') center: string, @Query() query: unknown) {
    const q = parseOrThrow(whatIfQuery, query);
    if (!this.policy.center(center)) {
      throw Problem.notFound(`No support center ${center}; known: ${this.policy.centerIds().join(', ')}.`);
    }
    const centerCalendar = this.policy.calendar(center);
    const calendar = q.coverage === '24x7' ? alwaysOpenCalendar(centerCalendar.zone) : centerCalendar;
    const startMs = q.start ? Date.parse(q.start) : Date.now();
    const durationMs = q.duration ? parseDuration(q.duration)! : Math.round(q.hours! * 3600_000);
    return { center, ...explain(calendar, startMs, durationMs) };
  }
}
