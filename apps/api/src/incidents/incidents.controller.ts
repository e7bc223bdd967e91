import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Principal } from '../../../../libs/auth/src';
import { Caller, Roles } from '../auth/auth.decorators';
import { openApiSchema } from '../common/openapi';
import { idempotencyKeySchema, parseOrThrow } from '../common/validation';
import {
  incidentIdSchema,
  listIncidentsQuerySchema,
  openIncidentSchema,
  priorityChangeSchema,
  reclassifySchema,
  recordResponseSchema,
  resolveSchema,
} from './incident.schemas';
import { IncidentsService } from './incidents.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Post()
  @Roles('customer', 'agent', 'admin')
  @HttpCode(201)
  @ApiOperation({ summary: 'Open an incident: starts its durable SLA workflow' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body return the same incident' })
  @ApiBody({ schema: openApiSchema(openIncidentSchema) })
  @ApiResponse({ status: 201, description: 'Opened' })
  @ApiResponse({ status: 200, description: 'Already opened with this Idempotency-Key' })
  @ApiResponse({ status: 400, description: 'Body does not match the schema (problem+json)' })
  @ApiResponse({ status: 409, description: 'Idempotency-Key reused with another body' })
  @ApiResponse({ status: 422, description: 'Rule violated (account, contact, plan channel, enteredAt window)' })
  async open(
    @Body() body: unknown,
    @Caller() caller: Principal,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const key = parseOrThrow(idempotencyKeySchema, idempotencyKey, 'Idempotency-Key');
    const input = parseOrThrow(openIncidentSchema, body);
    const { incidentId, created, warnings, dueAt, dueLabel } = await this.incidents.open(input, caller, key);
    if (!created) response.status(200);
    response.location(`/v1/incidents/${incidentId}`);
    return { incidentId, created, dueAt, dueLabel, warnings, links: { self: `/v1/incidents/${incidentId}` } };
  }

  @Get()
  @Roles('admin', 'agent', 'tam', 'customer')
  @ApiOperation({ summary: 'List incidents (visibility): account, state, severity, plan, center, due range, open; paginated' })
  @ApiQuery({ name: 'account', required: false })
  @ApiQuery({ name: 'state', required: false, enum: ['pending', 'met', 'breached', 'resolved'] })
  @ApiQuery({ name: 'severity', required: false, schema: { type: 'integer', minimum: 1, maximum: 4 } })
  @ApiQuery({ name: 'plan', required: false })
  @ApiQuery({ name: 'center', required: false })
  @ApiQuery({ name: 'dueBefore', required: false })
  @ApiQuery({ name: 'dueAfter', required: false })
  @ApiQuery({ name: 'open', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'pageSize', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } })
  @ApiQuery({ name: 'pageToken', required: false })
  list(@Query() query: unknown, @Caller() caller: Principal) {
    return this.incidents.list(parseOrThrow(listIncidentsQuerySchema, query), caller);
  }

  @Get(':id')
  @Roles('admin', 'agent', 'tam', 'customer')
  @ApiOperation({ summary: 'Incident state as of its last workflow task, from its memo (no worker needed): due, remaining business time, explanation, ladder, timeline. degraded: true (search attributes only) for an incident without it whose query no worker answers' })
  @ApiResponse({ status: 404, description: 'No such incident' })
  get(@Param('id') id: string, @Caller() caller: Principal) {
    return this.incidents.status(parseOrThrow(incidentIdSchema, id, 'id'), caller);
  }

  @Post(':id/responses')
  @Roles('agent', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a human response; the first one is the IHR (met or breached)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: openApiSchema(recordResponseSchema) })
  @ApiResponse({ status: 422, description: 'Automated acknowledgement, respondedAt outside entry..now, resolved incident' })
  respond(@Param('id') id: string, @Body() body: unknown, @Caller() caller: Principal, @Headers('idempotency-key') key?: string) {
    const { incidentId, idempotencyKey } = this.target(id, key);
    return this.incidents.respond(incidentId, parseOrThrow(recordResponseSchema, body), caller, idempotencyKey);
  }

  @Post(':id/severity')
  @Roles('agent', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reclassify: retargets the IHR from entry under the new severity (breached at once if already past)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: openApiSchema(reclassifySchema) })
  reclassify(@Param('id') id: string, @Body() body: unknown, @Caller() caller: Principal, @Headers('idempotency-key') key?: string) {
    const { incidentId, idempotencyKey } = this.target(id, key);
    return this.incidents.reclassify(incidentId, parseOrThrow(reclassifySchema, body), caller, idempotencyKey);
  }

  @Post(':id/priority')
  @Roles('customer', 'agent', 'admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Change the customer priority (does not change the target; travels with notifications)' })
  @ApiBody({ schema: openApiSchema(priorityChangeSchema) })
  async changePriority(@Param('id') id: string, @Body() body: unknown, @Caller() caller: Principal) {
    const incidentId = parseOrThrow(incidentIdSchema, id, 'id');
    const { priority } = parseOrThrow(priorityChangeSchema, body);
    await this.incidents.changePriority(incidentId, priority, caller);
    return { incidentId, priority, accepted: true };
  }

  @Post(':id/resolve')
  @Roles('agent', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve with a summary; the ladder stops and the workflow completes' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: openApiSchema(resolveSchema) })
  resolve(@Param('id') id: string, @Body() body: unknown, @Caller() caller: Principal, @Headers('idempotency-key') key?: string) {
    const { incidentId, idempotencyKey } = this.target(id, key);
    return this.incidents.resolve(incidentId, parseOrThrow(resolveSchema, body).summary, caller, idempotencyKey);
  }

  private target(id: string, key: string | undefined) {
    return { incidentId: parseOrThrow(incidentIdSchema, id, 'id'), idempotencyKey: parseOrThrow(idempotencyKeySchema, key, 'Idempotency-Key') };
  }
}
