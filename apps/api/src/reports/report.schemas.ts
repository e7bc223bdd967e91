import { z } from 'zod';
import { component } from '../common/schema-registry';
import { assertSame, instant, Same } from '../common/shapes';
import { GROUP_BY, IhrReport } from './ihr-report';

const counts = {
  total: z.int(),
  met: z.int(),
  breached: z.int(),
  pending: z.int(),
  resolved: z.int().describe('resolved before any IHR outcome: left out of compliance'),
  compliancePct: z
    .number()
    .nullable()
    .describe('met / (met + breached) in percent, one decimal; null when nothing is settled'),
};

export const IhrReportSchema = component(
  'IhrReport',
  z.object({
    from: instant,
    to: instant,
    groupBy: z.enum(GROUP_BY),
    totals: z.object(counts),
    groups: z.array(z.object({ key: z.string(), ...counts })),
    breaches: z.array(
      z.object({
        incidentId: z.string(),
        accountId: z.string(),
        planId: z.string(),
        supportCenter: z.string(),
        severity: z.number(),
        priority: z.number(),
        ihrDueAt: instant.nullable(),
        summary: z.string(),
      }),
    ),
    breachesTruncated: z
      .boolean()
      .describe(
        'true when more incidents breached than the list holds (at most 200): narrow the period to see them all',
      ),
    lateResponses: z
      .array(
        z.object({
          incidentId: z.string(),
          respondedAt: instant.describe('the instant the response claims (`respondedAt` as given)'),
          recordedAt: instant.describe('the instant the API received the request that recorded it'),
          recordedByKeyId: z
            .string()
            .nullable()
            .describe('the API key id of the caller that recorded it (internal, not for customers)'),
          lagMs: z.number().describe('recordedAt - respondedAt'),
          ihr: z.boolean().describe('true when the response is the IHR'),
        }),
      )
      .describe('responses recorded more than 15 minutes after the instant they claim, by recordedAt (at most 200)'),
    lateResponsesTruncated: z
      .boolean()
      .describe('true when there were more late responses than the list holds: narrow the period to see them all'),
  }),
  'IHR compliance of the incidents due in [from, to)',
);
assertSame<Same<z.infer<typeof IhrReportSchema>, IhrReport>>();

export const reportQuery = z
  .strictObject({
    from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant with offset' }).optional(),
    to: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant with offset' }).optional(),
    groupBy: z.enum(GROUP_BY, `must be one of ${GROUP_BY.join(', ')}`).default('plan'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'must be after from',
    path: ['to'],
  });
export type ReportQuery = z.output<typeof reportQuery>;
