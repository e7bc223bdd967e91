import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Principal } from '../../../../libs/auth/src';
import { Caller, Roles } from '../auth/auth.decorators';
import { Endpoint } from '../common/endpoint';
import { Parsed, ZodValidationPipe } from '../common/pipes/zod-validation.pipe';
import { ClientIdempotencyKey, IdempotencyKey } from '../common/validation';
import { ReceivedAt } from '../common/received-at';
import { EXAMPLES } from './incident.examples';
import {
  IhrClockSchema,
  ListIncidentsQuery,
  OpenIncidentBody,
  IncidentPageSchema,
  IncidentSchema,
  incidentIdSchema,
  listIncidentsQuerySchema,
  OpenedIncidentSchema,
  openIncidentSchema,
  PriorityChangeAcceptedSchema,
  priorityChangeSchema,
  reclassifySchema,
  RecordedResponseSchema,
  recordResponseSchema,
  ResolutionSchema,
  resolveSchema,
  TimelinePageSchema,
  timelineQuerySchema,
} from './incident.schemas';
import { IncidentsService } from './incidents.service';

const params = { id: incidentIdSchema };
const incidentIdParam = new ZodValidationPipe(incidentIdSchema);
const ON_RESOLVED = 'The incident is resolved (`incident: open`)';
const NO_WORKER =
  'No worker took the command in time, or Temporal did not answer within the deadline; retry with the same Idempotency-Key';

@ApiTags('incidents')
@Controller('v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Post()
  @Roles('customer', 'agent', 'admin')
  @HttpCode(201)
  @Endpoint({
    operationId: 'openIncident',
    summary: 'Open an incident: starts its durable SLA workflow',
    description:
      'The IHR due instant is planned at once. With an `Idempotency-Key`, a retry returns the same incident (200); ' +
      'the same key with another body is 409. A retry may leave `enteredAt` out; if it names one, it must be the ' +
      "incident's entry instant (written any way), else 409. Without a key each request opens a new incident. " +
      '`enteredAt` (a past entry instant) may be given by agent and admin keys only.',
    body: openIncidentSchema,
    bodyExample: EXAMPLES.openIncident,
    idempotencyKey: true,
    responses: {
      201: { description: 'Opened', schema: OpenedIncidentSchema, headers: ['Location'], example: EXAMPLES.opened },
      200: {
        description: 'Already opened with this Idempotency-Key',
        schema: OpenedIncidentSchema,
        headers: ['Location'],
      },
    },
    errors: {
      403: "The key's role may not open incidents (tam), or a customer key sent `enteredAt` (`enteredAt: agentOrAdminOnly`; agent and admin keys only)",
      409: 'Idempotency-Key reused with another body, or with another `enteredAt` than the incident entered at',
      422: 'A rule refuses it: account, contact, plan channel, enteredAt window',
    },
  })
  async open(
    @Body(new ZodValidationPipe(openIncidentSchema)) input: OpenIncidentBody,
    @Caller() caller: Principal,
    @IdempotencyKey() key: string,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { incidentId, created, warnings, dueAt, dueLabel } = await this.incidents.open(input, caller, key);
    if (!created) response.status(200);
    response.location(`/v1/incidents/${incidentId}`);
    return { incidentId, created, dueAt, dueLabel, warnings, links: { self: `/v1/incidents/${incidentId}` } };
  }

  @Get()
  @Roles('admin', 'agent', 'tam', 'customer')
  @Endpoint({
    operationId: 'listIncidents',
    summary: 'List incidents (visibility): account, state, severity, plan, center, due range, open; paginated',
    description: "Customers see their own account's incidents.",
    query: listIncidentsQuerySchema,
    responses: { 200: { description: 'A page of incidents', schema: IncidentPageSchema } },
    errors: {
      400: 'The query does not match: a filter value (`plan`, `center`) given twice, empty, too long or holding control characters (rule `noControlCharacters`) is refused at once, naming the parameter',
      404: "A customer key filtered by an account that is not the caller's",
    },
  })
  list(@Query(new ZodValidationPipe(listIncidentsQuerySchema)) query: ListIncidentsQuery, @Caller() caller: Principal) {
    return this.incidents.list(query, caller);
  }

  @Get(':id')
  @Roles('admin', 'agent', 'tam', 'customer')
  @Endpoint({
    operationId: 'getIncident',
    summary: 'Incident state: due, remaining business time, explanation, ladder, timeline',
    description:
      'As of its last workflow task, from its memo (no worker needed). `degraded: true` (search attributes only) for an ' +
      'incident without it whose query no worker answers.',
    params,
    responses: { 200: { description: 'The incident', schema: IncidentSchema } },
    errors: { 404: 'No such incident (or one of another account)' },
  })
  get(@Param('id', incidentIdParam) id: string, @Caller() caller: Principal) {
    return this.incidents.status(id, caller);
  }

  @Get(':id/timeline')
  @Roles('admin', 'agent', 'tam', 'customer')
  @Endpoint({
    operationId: 'getIncidentTimeline',
    summary: 'The whole timeline of an incident, oldest first, page by page',
    description:
      "Every entry, never dropped (the incident's status shows the last entries only, with `timelineTotal` and " +
      '`timelineTruncated`). Answered by a worker: 503 when none answers in time.',
    params,
    query: timelineQuerySchema,
    responses: { 200: { description: 'A page of the timeline', schema: TimelinePageSchema } },
    errors: {
      400: 'pageSize out of 1-1000, or a pageToken not from this API',
      404: 'No such incident (or one of another account)',
      503: 'No worker answered in time; retry shortly',
    },
  })
  timeline(
    @Param('id', incidentIdParam) id: string,
    @Query(new ZodValidationPipe(timelineQuerySchema)) query: Parsed<typeof timelineQuerySchema>,
    @Caller() caller: Principal,
  ) {
    return this.incidents.timeline(id, query, caller);
  }

  @Post(':id/responses')
  @Roles('agent', 'admin')
  @HttpCode(200)
  @Endpoint({
    operationId: 'recordResponse',
    summary: 'Record a human response; the first one is the IHR (met or breached)',
    params,
    body: recordResponseSchema,
    bodyExample: EXAMPLES.recordResponse,
    idempotencyKey: true,
    responses: { 200: { description: 'Recorded', schema: RecordedResponseSchema, example: EXAMPLES.recorded } },
    errors: {
      404: 'No such incident',
      409: ON_RESOLVED,
      422: 'Automated acknowledgement, respondedAt outside entry..now',
      503: NO_WORKER,
    },
  })
  respond(
    @Param('id', incidentIdParam) id: string,
    @Body(new ZodValidationPipe(recordResponseSchema)) body: Parsed<typeof recordResponseSchema>,
    @Caller() caller: Principal,
    @IdempotencyKey() key: string,
    @ReceivedAt() receivedAt: string,
  ) {
    return this.incidents.respond(id, body, caller, key, receivedAt);
  }

  @Post(':id/severity')
  @Roles('agent', 'admin')
  @HttpCode(200)
  @Endpoint({
    operationId: 'reclassifyIncident',
    summary: 'Reclassify: retargets the IHR from entry under the new severity (breached at once if already past)',
    params,
    body: reclassifySchema,
    idempotencyKey: true,
    responses: { 200: { description: 'The new IHR clock', schema: IhrClockSchema } },
    errors: {
      404: 'No such incident',
      409: `${ON_RESOLVED}, or the same severity`,
      422: 'A rule refuses it',
      503: NO_WORKER,
    },
  })
  reclassify(
    @Param('id', incidentIdParam) id: string,
    @Body(new ZodValidationPipe(reclassifySchema)) body: Parsed<typeof reclassifySchema>,
    @Caller() caller: Principal,
    @IdempotencyKey() key: string,
    @ReceivedAt() receivedAt: string,
  ) {
    return this.incidents.reclassify(id, body, caller, key, receivedAt);
  }

  @Post(':id/priority')
  @Roles('customer', 'agent', 'admin')
  @HttpCode(202)
  @Endpoint({
    operationId: 'changeIncidentPriority',
    summary: 'Change the customer priority (does not change the target; travels with notifications)',
    description:
      'Without an `Idempotency-Key`: a signal, accepted (202) and applied by the workflow even while no worker ' +
      'runs; repeating it is harmless. With one: a command the workflow answers before the 202 (so a resolved ' +
      'incident is 409, a key reused with another priority 409, and no worker in time a 503 naming the key).',
    params,
    body: priorityChangeSchema,
    idempotencyKey: true,
    responses: { 202: { description: 'Accepted', schema: PriorityChangeAcceptedSchema } },
    errors: { 404: 'No such incident', 409: `${ON_RESOLVED}, or Idempotency-Key reused with another priority` },
  })
  async changePriority(
    @Param('id', incidentIdParam) id: string,
    @Body(new ZodValidationPipe(priorityChangeSchema)) { priority }: Parsed<typeof priorityChangeSchema>,
    @Caller() caller: Principal,
    @ClientIdempotencyKey() key: string | undefined,
  ) {
    await this.incidents.changePriority(id, priority, caller, key);
    return { incidentId: id, priority, accepted: true };
  }

  @Post(':id/resolve')
  @Roles('agent', 'admin')
  @HttpCode(200)
  @Endpoint({
    operationId: 'resolveIncident',
    summary: 'Resolve with a summary; the ladder stops and the workflow completes',
    params,
    body: resolveSchema,
    idempotencyKey: true,
    responses: { 200: { description: 'Resolved', schema: ResolutionSchema } },
    errors: { 404: 'No such incident', 409: ON_RESOLVED, 503: NO_WORKER },
  })
  resolve(
    @Param('id', incidentIdParam) id: string,
    @Body(new ZodValidationPipe(resolveSchema)) { summary }: Parsed<typeof resolveSchema>,
    @Caller() caller: Principal,
    @IdempotencyKey() key: string,
    @ReceivedAt() receivedAt: string,
  ) {
    return this.incidents.resolve(id, summary, caller, key, receivedAt);
  }
}
