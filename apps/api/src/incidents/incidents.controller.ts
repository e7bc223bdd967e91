import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Principal } from '../../../../libs/auth/src';
import { AccountsService } from '../accounts/accounts.service';
import { AccountAccess } from '../auth/account-access';
import { Caller, Roles } from '../auth/auth.decorators';
import { openApiSchema } from '../common/openapi';
import { Problem } from '../common/problem';
import { idempotencyKeySchema, parseOrThrow } from '../common/validation';
import { incidentIdSchema, openIncidentSchema } from './incident.schemas';
import { IncidentsService } from './incidents.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly accounts: AccountsService,
    private readonly access: AccountAccess,
  ) {}

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
    const { incidentId, created, warnings } = await this.incidents.open(input, caller, key);
    if (!created) response.status(200);
    response.location(`/v1/incidents/${incidentId}`);
    return { incidentId, created, warnings, links: { self: `/v1/incidents/${incidentId}` } };
  }

  @Get(':id')
  @Roles('admin', 'agent', 'tam', 'customer')
  @ApiOperation({ summary: 'State of an incident: IHR due instant and SLA state' })
  @ApiResponse({ status: 404, description: 'No such incident' })
  async get(@Param('id') id: string, @Caller() caller: Principal) {
    const incidentId = parseOrThrow(incidentIdSchema, id, 'id');
    const status = await this.incidents.status(incidentId);
    const account = await this.accounts.memoOrUndefined(status.accountId);
    if (caller.role === 'customer' && (!account || !this.access.allows(caller, account))) throw Problem.notFound(`No incident ${incidentId}.`);
    return status;
  }
}
