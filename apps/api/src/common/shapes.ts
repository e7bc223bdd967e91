import { z } from 'zod';
import { CHANNELS, SEVERITIES } from '../../../../libs/contracts/src';
import { component } from './schema-registry';

/**
 * Shapes shared by every area of the API: the problem document, instants, pages. Each is one zod
 * schema registered as a named OpenAPI component (see schema-registry.ts).
 */

/**
 * `true` only when A and B are the same type: compile-time checks of zod schemas against the interfaces
 * the workflows use.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const assertSame = <T extends true>(_proof?: T): void => undefined;

export const instant = z.iso.datetime({ offset: true }).describe('ISO 8601 instant with offset');
export const isoDate = z.iso.date().describe('calendar date YYYY-MM-DD');
/** Who acted, as the API records it; a customer key reads the role alone (CustomerActorsInterceptor). */
export const actor = z.string().describe('who acted: `role:keyId`, or the role alone in an answer to a customer key');

export const FieldErrorSchema = component(
  'FieldError',
  z.object({
    field: z
      .string()
      .describe('the request part at fault: a body path (`contacts[0].email`), a query or path parameter, or a header'),
    rule: z
      .string()
      .describe(
        'what was violated, stable for clients to switch on: ' +
          'required, type, min, max, enum, format, unknown, json, planChannel, ...',
      ),
    message: z.string(),
  }),
  'One violated rule, named so a client can show it next to the field.',
);

export const ProblemSchema = component(
  'Problem',
  z.looseObject({
    type: z.string().describe('always about:blank: the status and title say what happened'),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().describe('the request path').optional(),
    errors: z.array(FieldErrorSchema).optional().describe('every violated rule (absent when none applies, e.g. 404)'),
  }),
  'RFC 9457 problem details (application/problem+json). Extra members may be added by some problems.',
);

export const CommandProblemSchema = component(
  'CommandProblem',
  z.looseObject({
    ...ProblemSchema.shape,
    idempotencyKey: z
      .string()
      .describe("the command's key: retry with it as `Idempotency-Key` and the command applies at most once"),
  }),
  'A problem answered to a command (503): it names the key a retry must carry.',
);

export const SeveritySchema = component('Severity', z.literal(SEVERITIES).describe('1 (critical) to 4 (low)'));
export const PrioritySchema = component(
  'Priority',
  z.literal([1, 2, 3, 4]).describe('customer priority, 1 (highest) to 4'),
);
export const ChannelSchema = component('Channel', z.enum(CHANNELS));
export const CoverageSchema = component('Coverage', z.enum(['24x7', 'business-hours']));

const nextPageToken = z.string().optional().describe('pass as `pageToken` for the next page; absent on the last page');

/** A page of a visibility list: `nextPageToken` is absent on the last page. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextPageToken });

/** A page of a log a workflow pages itself (workflowLogPageQuery): `total` counts the whole log. */
export const workflowLogPage = <T extends z.ZodType>(entry: T, total: string) =>
  z.object({ entries: z.array(entry), total: z.int().min(0).describe(total), nextPageToken });

export const pageQuery = {
  pageSize: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be 1 to 100')
    .max(100, 'must be 1 to 100')
    .default(50)
    .describe('items a page (1-100)'),
  pageToken: z.string().max(2000).optional().describe('the `nextPageToken` of the previous page'),
};

/**
 * The query of a log a workflow pages itself (an incident's timeline, an account's change log): up to
 * 1000 entries a page, and a page token that is the position the workflow answered with.
 */
export const workflowLogPageQuery = z.strictObject({
  pageSize: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be 1 to 1000')
    .max(1000, 'must be 1 to 1000')
    .default(100)
    .describe('entries a page (1-1000)'),
  pageToken: z
    .string()
    .regex(/^\d{1,9}$/, 'is not a page token from this API')
    .optional()
    .describe('the `nextPageToken` of the previous page'),
});
