import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { openApiSchema } from '../common/openapi';
import { parseOrThrow } from '../common/validation';
import { incidentIdSchema, openIncidentSchema } from './incident.schemas';
import { IncidentsService } from './incidents.service';

const idempotencyKeySchema = z.string().min(1).max(200, 'must be at most 200 characters').optional();

@ApiTags('incidents')
@Controller('v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Open an incident: starts its durable SLA workflow' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body return the same incident' })
  @ApiBody({ schema: openApiSchema(openIncidentSchema) })
  @ApiResponse({ status: 201, description: 'Opened' })
  @ApiResponse({ status: 200, description: 'Already opened with this Idempotency-Key' })
  @ApiResponse({ status: 400, description: 'Body does not match the schema (problem+json)' })
  @ApiResponse({ status: 409, description: 'Idempotency-Key reused with another body' })
  @ApiResponse({ status: 422, description: 'Rule violated (plan, channel, enteredAt window)' })
  async open(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const key = parseOrThrow(idempotencyKeySchema, idempotencyKey, 'Idempotency-Key');
    const input = parseOrThrow(openIncidentSchema, body);
    const { incidentId, created } = await this.incidents.open(input, key);
    if (!created) response.status(200);
    response.location(`/v1/incidents/${incidentId}`);
    return { incidentId, created, links: { self: `/v1/incidents/${incidentId}` } };
  }

  @Get(':id')
  @ApiOperation({ summary: 'State of an incident: IHR due instant and SLA state' })
  @ApiResponse({ status: 404, description: 'No such incident' })
  async get(@Param('id') id: string) {
    return this.incidents.status(parseOrThrow(incidentIdSchema, id, 'id'));
  }
}
