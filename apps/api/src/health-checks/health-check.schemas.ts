import { z } from 'zod';
import {
  AccountReviewTask,
  ContractYear,
  HealthCheckMemo,
  HealthCheckTask,
  OfferTask,
  ReconcileReport,
  TASK_STATES,
} from '../../../../libs/contracts/src';
import { component } from '../common/schema-registry';
import { actor, assertSame, instant, pageOf, pageQuery, Same } from '../common/shapes';
import { filterValue } from '../common/validation';

const dateOrInstant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/,
    'must be a date YYYY-MM-DD or an ISO instant with offset',
  );

export const requestHealthCheckSchema = component(
  'RequestHealthCheckRequest',
  z.strictObject({
    kind: z.enum(['remote', 'onsite'], 'must be remote or onsite'),
    preferredDates: z.array(dateOrInstant).max(10, 'must list at most 10 dates').optional(),
  }),
);
export type RequestHealthCheckBody = z.infer<typeof requestHealthCheckSchema>;

export const scheduleTaskSchema = component('ScheduleTaskRequest', z.strictObject({ date: dateOrInstant }));
export const completeTaskSchema = component(
  'CompleteTaskRequest',
  z.strictObject({
    summary: z.string().trim().min(1, 'must not be empty').max(5000, 'must be at most 5000 characters'),
  }),
);

const dueBefore = z.iso.datetime({ offset: true, error: 'must be an ISO instant such as 2027-01-31T17:00:00Z' });

export const listTasksQuerySchema = z.strictObject({
  owner: filterValue(200)
    .optional()
    .describe('TAM id or queue address; a TAM key may name only itself (default: the calling TAM; admin: all)'),
  state: z.enum(TASK_STATES as [string, ...string[]], `must be one of ${TASK_STATES.join(', ')}`).optional(),
  dueBefore: dueBefore.optional().describe('tasks due before this ISO instant'),
  /** The name before query parameters were camelCase; accepted for one release. */
  due_before: dueBefore
    .optional()
    .meta({ deprecated: true, description: 'deprecated alias of dueBefore (removed in the next release)' }),
  ...pageQuery,
});
export type ListTasksQuery = z.infer<typeof listTasksQuerySchema>;

export const taskFeedQuerySchema = z.strictObject({
  owner: filterValue(200)
    .optional()
    .describe('admin keys only: TAM id or queue address (default: every owner); a TAM key gets its own feed'),
});

export const taskIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:\d{4}:(offer|remote|onsite|review-[1-9]\d?)$/,
    'must be a task id <accountId>:<contractYear>:offer|remote|onsite|review-<n>',
  );

// --- Answers -------------------------------------------------------------------------------

export const TaskStateSchema = component('TaskState', z.enum(['open', 'scheduled', 'done', 'expired', 'closed']));
export const HealthCheckKindSchema = component('HealthCheckKind', z.enum(['remote', 'onsite']));
const ownerKind = z.enum(['tam', 'queue']).describe("the account's TAM, or the center's customer-success queue");
const nullableInstant = instant.nullable();

const offerStatus = z.object({
  status: z.enum(['open', 'requested', 'expired', 'closed']),
  at: z.string().optional(),
  reason: z.string().optional(),
});

export const OfferTaskSchema = component(
  'OfferTask',
  z.object({
    taskId: z.string(),
    kind: z.literal('offer'),
    title: z.string(),
    state: TaskStateSchema,
    owner: z.string(),
    ownerKind,
    createdAt: instant,
    dueAt: instant.describe("the contract year's end: unrequested kinds expire then"),
    offers: z.partialRecord(HealthCheckKindSchema, offerStatus),
    outcome: z.string().nullable(),
  }),
  'The task "offer the annual health check(s)" (`<accountId>:<year>:offer`)',
);
assertSame<Same<z.infer<typeof OfferTaskSchema>, OfferTask>>();

export const HealthCheckTaskSchema = component(
  'HealthCheckTask',
  z.object({
    taskId: z.string(),
    kind: HealthCheckKindSchema,
    title: z.string(),
    state: TaskStateSchema,
    owner: z.string(),
    ownerKind,
    createdAt: instant,
    requestedBy: actor,
    preferredDates: z.array(z.string()),
    dueAt: instant,
    dueLabel: z.string(),
    escalatedAt: nullableInstant,
    scheduledFor: nullableInstant,
    scheduledBy: actor.nullable(),
    remindAt: nullableInstant,
    remindedAt: nullableInstant,
    completedAt: nullableInstant,
    completedBy: actor.nullable(),
    summary: z.string().nullable(),
  }),
  'The task "schedule the <kind> health check" (`<accountId>:<year>:remote|onsite`)',
);
assertSame<Same<z.infer<typeof HealthCheckTaskSchema>, HealthCheckTask>>();

export const AccountReviewTaskSchema = component(
  'AccountReviewTask',
  z.object({
    taskId: z.string(),
    kind: z.literal('review'),
    review: z.int(),
    title: z.string(),
    state: TaskStateSchema,
    owner: z.string(),
    ownerKind,
    createdAt: instant,
    periodStart: instant,
    periodEnd: instant,
    dueAt: instant,
    dueLabel: z.string(),
    escalatedAt: nullableInstant,
    completedAt: nullableInstant,
    completedBy: actor.nullable(),
    summary: z.string().nullable(),
    outcome: z.string().nullable(),
  }),
  'The task "host the quarterly account review" (`<accountId>:<year>:review-<n>`)',
);
assertSame<Same<z.infer<typeof AccountReviewTaskSchema>, AccountReviewTask>>();

/** Where a listed task belongs. */
const taskContext = { accountId: z.string(), contractYear: z.int(), supportCenter: z.string(), planId: z.string() };
export const TaskSchema = component(
  'Task',
  z.discriminatedUnion('kind', [
    OfferTaskSchema.extend(taskContext),
    HealthCheckTaskSchema.extend({ ...taskContext, kind: z.literal('remote') }),
    HealthCheckTaskSchema.extend({ ...taskContext, kind: z.literal('onsite') }),
    AccountReviewTaskSchema.extend(taskContext),
  ]),
  'A TAM task with the account and contract year it belongs to',
);
export const TaskPageSchema = component(
  'TaskPage',
  pageOf(TaskSchema).extend({ owner: z.string().nullable().describe('the owner listed (default: the calling TAM)') }),
);

export const CompletedTaskSchema = component(
  'CompletedTask',
  z.union([HealthCheckTaskSchema, AccountReviewTaskSchema]),
);

const contractYearShape = z.object({ contractYear: z.int(), start: instant, end: instant });
assertSame<Same<z.infer<typeof contractYearShape>, ContractYear>>();

const healthCheckYear = contractYearShape.extend({
  accountId: z.string(),
  planId: z.string(),
  supportCenter: z.string(),
  kinds: z.array(HealthCheckKindSchema),
  offer: OfferTaskSchema,
  requests: z.partialRecord(HealthCheckKindSchema, HealthCheckTaskSchema),
  reviews: z.array(AccountReviewTaskSchema).optional(),
});
assertSame<Same<z.infer<typeof healthCheckYear>, HealthCheckMemo>>();
export const HealthCheckYearSchema = component(
  'HealthCheckYear',
  healthCheckYear,
  "One contract year's offer, requests and review tasks",
);

export const AccountHealthChecksSchema = component(
  'AccountHealthChecks',
  z.object({
    accountId: z.string(),
    planId: z.string(),
    eligibleKinds: z.array(HealthCheckKindSchema),
    currentContractYear: contractYearShape.nullable(),
    contractYears: z.array(HealthCheckYearSchema).describe('the latest year first'),
  }),
);

export const ReconcileReportSchema = component(
  'ReconcileReport',
  z.object({
    at: instant,
    eligibleAccounts: z.int(),
    created: z.array(z.string()),
    updated: z.array(z.string()),
    deleted: z.array(z.string()),
    unchanged: z.int(),
  }),
);
assertSame<Same<z.infer<typeof ReconcileReportSchema>, ReconcileReport>>();
