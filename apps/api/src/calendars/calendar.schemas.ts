import { z } from 'zod';
import { WEEKDAYS } from '../../../../libs/contracts/src';
import type { CalendarConfig, ClosedDay, Explanation, ExplanationCounts } from '../../../../libs/business-time/src';
import { component } from '../common/schema-registry';
import { assertSame, CoverageSchema, isoDate, Same } from '../common/shapes';

const wallTime = z.string().describe('local wall time HH:mm');
const weekday = z.enum(WEEKDAYS);

export const CalendarSchema = component(
  'Calendar',
  z.object({
    zone: z.string().describe('IANA time zone'),
    alwaysOpen: z.boolean().optional(),
    weekly: z.partialRecord(weekday, z.array(z.string().describe("open interval 'HH:mm-HH:mm'"))).optional(),
    holidays: z
      .object({
        country: z.string(),
        state: z.string().optional(),
        region: z.string().optional(),
        types: z.array(z.enum(['public', 'bank', 'school', 'optional', 'observance'])).optional(),
        extra: z.array(z.object({ rule: z.string(), name: z.string() })).optional(),
      })
      .optional(),
    closures: z
      .array(
        z.object({ date: isoDate, from: wallTime.optional(), to: wallTime.optional(), reason: z.string().optional() }),
      )
      .optional(),
    openings: z
      .array(z.object({ date: isoDate, from: wallTime, to: wallTime, reason: z.string().optional() }))
      .optional(),
  }),
  "A support center's business-hours calendar",
);
assertSame<Same<z.infer<typeof CalendarSchema>, CalendarConfig>>();

export const ExplanationSchema = component(
  'Explanation',
  z.object({
    zone: z.string(),
    coverage: CoverageSchema,
    start: z.string().describe('ISO 8601 in the calendar zone, with offset'),
    due: z.string().describe('ISO 8601 in the calendar zone, with offset'),
    startMs: z.number(),
    dueMs: z.number(),
    durationMs: z.number(),
    duration: z.string().describe("human form of durationMs, e.g. '16h'"),
    counted: z.array(z.object({ from: z.string(), to: z.string(), ms: z.number() })),
    skipped: z.array(
      z.object({
        date: isoDate,
        reason: z.enum(['weekend', 'holiday', 'closure', 'closed']),
        name: z.string().optional(),
      }),
    ),
    dstShifts: z.array(
      z.object({ at: z.string(), offsetBefore: z.string(), offsetAfter: z.string(), effect: z.string() }),
    ),
    summary: z.string(),
  }),
  'How a due instant was counted: the business intervals counted, the days skipped and why, DST shifts',
);
assertSame<Same<z.infer<typeof ExplanationSchema>, Explanation>>();

export const ClosedDaySchema = component(
  'ClosedDay',
  z.object({
    date: isoDate,
    reason: z.enum(['weekend', 'holiday', 'closure']),
    name: z.string().optional(),
    partial: z.object({ from: z.string(), to: z.string() }).optional(),
  }),
);
assertSame<Same<z.infer<typeof ClosedDaySchema>, ClosedDay>>();

/** `ExplanationCounts` of libs/business-time (documented through `WhatIfSummary`). */
const explanationWithoutLists = ExplanationSchema.omit({ counted: true, skipped: true, dstShifts: true });
export const ExplanationCountsSchema = explanationWithoutLists.extend({
  counts: z.object({
    counted: z.int().min(0).describe('open intervals counted (touching intervals merged)'),
    skipped: z
      .object({ weekend: z.int().min(0), holiday: z.int().min(0), closure: z.int().min(0), closed: z.int().min(0) })
      .describe('local days with nothing counted, by reason'),
    dstShifts: z.int().min(0),
  }),
});
assertSame<Same<z.infer<typeof ExplanationCountsSchema>, ExplanationCounts>>();

export const WhatIfSummarySchema = component(
  'WhatIfSummary',
  ExplanationCountsSchema.extend({ center: z.string() }),
  'The due instant of a what-if with counts and a one-line summary (the default, `explain=summary`)',
);

export const WhatIfFullSchema = component(
  'WhatIfFull',
  ExplanationSchema.extend({
    center: z.string(),
    truncated: z
      .literal(true)
      .optional()
      .describe('`counted` or `skipped` had more than 400 entries: the first 400 are listed'),
  }),
  'The due instant of a what-if with every counted interval and skipped day (`explain=full`)',
);

export const WhatIfSchema = component(
  'WhatIf',
  z.union([WhatIfSummarySchema, WhatIfFullSchema]),
  'The due instant of a what-if: counts by default, the per-day lists with `explain=full`',
);
