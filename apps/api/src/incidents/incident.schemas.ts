import { z } from 'zod';
import { CHANNELS, ROLES } from '../../../../libs/contracts/src';
import {
  DeliveryFailure,
  DeliveryReport,
  FiredStep,
  ID_PATTERN,
  IhrClock,
  IhrOutcome,
  IncidentStatus,
  PendingStep,
  RecordResponseResult,
  ResolveResult,
  ResponseRecord,
  TimelineEvent,
} from '../../../../libs/contracts/src';
import { CalendarSchema, ExplanationSchema } from '../calendars/calendar.schemas';
import { component } from '../common/schema-registry';
import {
  assertSame,
  ChannelSchema,
  CoverageSchema,
  FieldErrorSchema,
  instant,
  pageOf,
  pageQuery,
  PrioritySchema,
  Same,
  SeveritySchema,
  workflowLogPage,
  workflowLogPageQuery,
} from '../common/shapes';
import { filterValue } from '../common/validation';

const id = (what: string) => z.string().regex(ID_PATTERN, `must be a ${what} id (letters, digits, . _ -; up to 64)`);
const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const level = z.int('must be a whole number').min(1, 'must be 1 to 4').max(4, 'must be 1 to 4');

/** Body of `POST /v1/incidents`. */
export const openIncidentSchema = component(
  'OpenIncidentRequest',
  z.strictObject({
    accountId: id('account'),
    /** Optional for customer keys bound to a contact: defaults to that contact. */
    contactId: id('contact').optional(),
    severity: level,
    priority: level,
    channel: z.enum(CHANNELS, `must be one of ${CHANNELS.join(', ')}`),
    product: text(100),
    productVersion: text(50),
    summary: text(200),
    description: text(20_000),
    environment: text(200).optional(),
    enteredAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 instant with offset, e.g. 2026-01-02T16:00:00+02:00' })
      .optional()
      .describe(
        'when the incident was entered, if not now (an integration replaying a ticket): agent and admin keys only (a customer key gets 403 `agentOrAdminOnly`); at most 60 s ahead and 30 days back',
      ),
    externalRef: text(128).optional(),
  }),
);
export type OpenIncidentBody = z.infer<typeof openIncidentSchema>;

export const incidentIdSchema = z
  .string()
  .regex(/^INC-[A-Z0-9]{1,32}$/, 'must be an incident id such as INC-7F3A9C21B4E0');

/** Kinds that never count as a human response (rule 4); named so the client gets a clear 422. */
export const AUTOMATED_KINDS = ['acknowledgement', 'auto_reply', 'automated'] as const;

export const recordResponseSchema = component(
  'RecordResponseRequest',
  z.strictObject({
    kind: z.enum(['solution', 'information_request', ...AUTOMATED_KINDS], 'must be solution or information_request'),
    /** Who responded; default: the calling key. */
    responder: text(200).optional(),
    respondedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant with offset' }).optional(),
  }),
);

export const reclassifySchema = component(
  'ReclassifyRequest',
  z.strictObject({
    severity: level,
    reason: text(2_000),
  }),
);

export const priorityChangeSchema = component('PriorityChangeRequest', z.strictObject({ priority: level }));

export const resolveSchema = component('ResolveRequest', z.strictObject({ summary: text(10_000) }));

const isoInstant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant with offset' });

export const listIncidentsQuerySchema = z.strictObject({
  account: id('account').optional(),
  state: z.enum(['pending', 'met', 'breached', 'resolved'], 'must be pending, met, breached or resolved').optional(),
  severity: z.coerce.number().pipe(level).optional(),
  plan: filterValue(32).optional(),
  center: filterValue(32).optional(),
  dueBefore: isoInstant.optional(),
  dueAfter: isoInstant.optional(),
  open: z.enum(['true', 'false'], 'must be true or false').optional(),
  ...pageQuery,
});
export type ListIncidentsQuery = z.infer<typeof listIncidentsQuerySchema>;

// --- Answers -------------------------------------------------------------------------------

export const IncidentStateSchema = component(
  'IncidentState',
  z
    .enum(['pending', 'met', 'breached', 'resolved'])
    .describe('the IHR outcome; `resolved` = resolved before any outcome'),
);
export const RoleSchema = component('Role', z.enum(ROLES));
export const ResponseKindSchema = component('ResponseKind', z.enum(['solution', 'information_request']));

export const OpenedIncidentSchema = component(
  'OpenedIncident',
  z.object({
    incidentId: z.string(),
    created: z.boolean().describe('false: an incident opened earlier with this Idempotency-Key'),
    dueAt: instant.nullable().describe('the IHR due instant (as the incident has it now)'),
    dueLabel: z.string().nullable(),
    warnings: z.array(FieldErrorSchema).describe('accepted, but worth knowing (e.g. a Sev 1 reported by email)'),
    links: z.object({ self: z.string() }),
  }),
);

const PlannedStepSchema = z.object({
  id: z.string(),
  event: z.string(),
  notify: z.array(RoleSchema),
  at: instant.optional(),
  atLabel: z.string().optional(),
  afterBreachMs: z.number().optional(),
});

export const IhrClockSchema = component(
  'IhrClock',
  z.object({
    generation: z.int(),
    severity: SeveritySchema,
    coverage: CoverageSchema,
    targetMs: z.number(),
    dueAt: instant,
    dueLabel: z.string(),
    steps: z.array(PlannedStepSchema),
    explanation: ExplanationSchema,
  }),
  'The IHR clock: the due instant, its explanation and the planned ladder steps',
);
assertSame<Same<z.infer<typeof IhrClockSchema>, IhrClock>>();

/** When and by which key a response dated in the past (`respondedAt` given) was recorded. */
const recordedBy = {
  recordedAt: instant
    .optional()
    .describe('a response dated in the past: the instant the API received the request that recorded it'),
  recordedByKeyId: z
    .string()
    .optional()
    .describe('a response dated in the past: the API key id of the caller that recorded it (internal)'),
};

const IhrOutcomeSchema = z.object({
  outcome: z.enum(['met', 'breached']),
  kind: ResponseKindSchema,
  responder: z.string(),
  respondedAt: instant,
  dueAt: instant,
  businessTimeTakenMs: z.number().optional(),
  ...recordedBy,
});
assertSame<Same<z.infer<typeof IhrOutcomeSchema>, IhrOutcome>>();

const ResponseRecordSchema = z.object({
  kind: ResponseKindSchema,
  responder: z.string(),
  respondedAt: instant,
  ihr: z.boolean(),
  ...recordedBy,
});
assertSame<Same<z.infer<typeof ResponseRecordSchema>, ResponseRecord>>();

export const DeliveryReportSchema = component(
  'DeliveryReport',
  z.object({
    webhookId: z.string(),
    recipients: z.array(z.object({ role: RoleSchema, address: z.string() })),
    delivered: z
      .array(z.string())
      .describe(
        'targets that received the event: webhook subscriber ids (2xx), `email:<address>`, `chat:<kind>:<role>`',
      ),
    attempt: z.int(),
    unreached: z
      .array(z.object({ role: z.union([RoleSchema, z.enum(['owner', 'contact'])]), reason: z.string() }))
      .optional()
      .describe('roles (or people) no channel reaches, with the reason'),
    undeliverable: z
      .string()
      .optional()
      .describe('set when no target at all could be reached: why (the step is `undeliverable`)'),
  }),
);
assertSame<Same<z.infer<typeof DeliveryReportSchema>, DeliveryReport>>();

export const FiredStepSchema = component(
  'FiredStep',
  z.object({
    id: z.string(),
    event: z.string(),
    at: instant.describe('planned instant'),
    firedAt: instant,
    webhookId: z.string(),
    delivery: z
      .enum(['in-flight', 'delivered', 'failed', 'undeliverable'])
      .describe('`undeliverable`: no channel reaches any recipient (`error` says why); never counted as delivered'),
    report: DeliveryReportSchema.optional(),
    error: z.string().optional().describe('why delivery failed, or why the step is undeliverable'),
  }),
);
assertSame<Same<z.infer<typeof FiredStepSchema>, FiredStep>>();

const PendingStepSchema = z.object({
  id: z.string(),
  event: z.string(),
  at: instant.optional(),
  afterBreachMs: z.number().optional(),
});
assertSame<Same<z.infer<typeof PendingStepSchema>, PendingStep>>();

const TimelineEventSchema = z.object({
  at: instant,
  type: z.enum([
    'opened',
    'clock.planned',
    'step.fired',
    'step.delivered',
    'step.delivery_failed',
    'step.undeliverable',
    'ihr.breached',
    'response.recorded',
    'severity.changed',
    'priority.changed',
    'resolved',
  ]),
  actor: z.string().optional(),
  details: z.record(z.string(), z.unknown()),
});
assertSame<Same<z.infer<typeof TimelineEventSchema>, TimelineEvent>>();

const DeliveryFailureSchema = z.object({
  at: instant,
  stepId: z.string(),
  event: z.string(),
  webhookId: z.string(),
  error: z.string(),
  failedSubscribers: z.array(z.string()),
});
assertSame<Same<z.infer<typeof DeliveryFailureSchema>, DeliveryFailure>>();

const incidentStatusShape = z.object({
  incidentId: z.string(),
  state: IncidentStateSchema,
  accountId: z.string(),
  planId: z.string(),
  planName: z.string(),
  supportCenter: z.string(),
  policyVersion: z.string(),
  calendar: CalendarSchema.optional().describe('the center calendar pinned at entry: the IHR clock counts in it'),
  severity: SeveritySchema,
  priority: PrioritySchema,
  summary: z.string(),
  enteredAt: instant,
  ihr: IhrClockSchema.nullable(),
  outcome: IhrOutcomeSchema.nullable(),
  breachedAt: instant.nullable(),
  responses: z.array(ResponseRecordSchema),
  ladder: z.object({ fired: z.array(FiredStepSchema), pending: z.array(PendingStepSchema) }),
  timeline: z.array(TimelineEventSchema),
  timelineTotal: z
    .number()
    .int()
    .optional()
    .describe('Entries in the whole timeline, where `timeline` holds only the last ones'),
  timelineTruncated: z
    .boolean()
    .optional()
    .describe('true: `timeline` holds the last entries only; GET /v1/incidents/{id}/timeline pages them all'),
  deliveryFailures: z.array(DeliveryFailureSchema),
  resolution: z.object({ at: instant, summary: z.string(), actor: z.string() }).nullable(),
});
assertSame<Same<z.infer<typeof incidentStatusShape>, IncidentStatus>>();

const remainingBusinessMs = z
  .number()
  .nullable()
  .describe('coverage time left until the IHR is due (0 once passed; null once settled)');

export const IncidentStatusSchema = component(
  'IncidentStatus',
  incidentStatusShape.extend({ remainingBusinessMs }),
  "An incident's state as of its last workflow task (admin, agent and tam keys)",
);

/** A fired ladder step as a customer sees it (issue 14, item 12): when it fired, not how it was delivered. */
const CustomerFiredStepSchema = component(
  'CustomerFiredStep',
  FiredStepSchema.pick({ id: true, event: true, at: true, firedAt: true }),
  'A fired ladder step without its delivery (no webhook id, recipients, targets, attempts or errors)',
);

export const CustomerIncidentStatusSchema = component(
  'CustomerIncidentStatus',
  incidentStatusShape.omit({ ladder: true, deliveryFailures: true }).extend({
    ladder: z.object({ fired: z.array(CustomerFiredStepSchema), pending: z.array(PendingStepSchema) }),
    remainingBusinessMs,
  }),
  'An incident as a customer key sees it (apps/api/src/incidents/incident-views.ts): the status without the ' +
    "vendor's internals: no delivery reports or failures, no webhook ids, actors and key-recorded responders by " +
    'role only (`agent`, not `agent:<keyId>`), timeline delivery events left out',
);
export type CustomerIncidentStatus = z.infer<typeof CustomerIncidentStatusSchema>;

export const IncidentSummarySchema = component(
  'IncidentSummary',
  z.object({
    incidentId: z.string(),
    accountId: z.string(),
    planId: z.string(),
    supportCenter: z.string(),
    severity: z.int().describe('1-4 (0 when unknown)'),
    priority: z.int().describe('1-4 (0 when unknown)'),
    state: IncidentStateSchema,
    ihrDueAt: instant.nullable(),
    dueLabel: z.string().nullable(),
    summary: z.string(),
    enteredAt: z.string(),
    open: z.boolean().describe('true while the workflow runs'),
  }),
  'What lists show of an incident (search attributes and the small memo)',
);

export const DegradedIncidentSchema = component(
  'DegradedIncident',
  IncidentSummarySchema.extend({ degraded: z.literal(true) }),
  'The summary only: no worker answered and the incident has no status in its memo',
);

export const IncidentSchema = component(
  'Incident',
  z.union([IncidentStatusSchema, CustomerIncidentStatusSchema, DegradedIncidentSchema]),
  'GET /v1/incidents/{id}: the full status (staff keys), the customer view (customer keys), or the summary with `degraded: true`',
);

export const IncidentPageSchema = component('IncidentPage', pageOf(IncidentSummarySchema));

/** GET /v1/incidents/:id/timeline: the whole timeline, oldest first, page by page (the memo keeps the last entries). */
export const timelineQuerySchema = workflowLogPageQuery;
export type TimelineQuery = z.infer<typeof timelineQuerySchema>;

export const TimelinePageSchema = component(
  'TimelinePage',
  workflowLogPage(TimelineEventSchema, 'entries in the whole timeline'),
);

export const RecordedResponseSchema = component(
  'RecordedResponse',
  z.object({
    ihr: z.boolean().describe('true when this response is the Initial Human Response'),
    outcome: z.enum(['met', 'breached']),
    respondedAt: instant,
    dueAt: instant,
    businessTimeTakenMs: z.number().describe('coverage time between entry and the response'),
  }),
);
assertSame<Same<z.infer<typeof RecordedResponseSchema>, RecordResponseResult>>();

export const PriorityChangeAcceptedSchema = component(
  'PriorityChangeAccepted',
  z.object({ incidentId: z.string(), priority: PrioritySchema, accepted: z.literal(true) }),
);

export const ResolutionSchema = component('Resolution', z.object({ state: IncidentStateSchema, resolvedAt: instant }));
assertSame<Same<z.infer<typeof ResolutionSchema>, ResolveResult>>();

export { ChannelSchema };
