import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Principal } from '../../../../libs/auth/src';
import { AccountAccess } from '../auth/account-access';
import { Caller, Roles } from '../auth/auth.decorators';
import { openApiSchema } from '../common/openapi';
import { idempotencyKeySchema, parseOrThrow } from '../common/validation';
import { createAccountSchema, idSchema, listAccountsQuerySchema, patchAccountSchema, registerContactSchema } from './account.schemas';
import { AccountsService } from './accounts.service';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1/accounts')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly access: AccountAccess,
  ) {}

  @Post()
  @Roles('admin')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an account (starts its entity workflow account/<id>)' })
  @ApiBody({ schema: openApiSchema(createAccountSchema) })
  @ApiResponse({ status: 201, description: 'Created' })
  @ApiResponse({ status: 200, description: 'Same account already created (retried request)' })
  @ApiResponse({ status: 409, description: 'The id is taken by an account with other details' })
  @ApiResponse({ status: 422, description: 'Unknown plan or center, TAM on a plan without one, partner not a partner' })
  async create(@Body() body: unknown, @Caller() caller: Principal, @Res({ passthrough: true }) response: Response) {
    const { view, created } = await this.accounts.create(parseOrThrow(createAccountSchema, body), caller);
    if (!created) response.status(200);
    response.location(`/v1/accounts/${view.account.accountId}`);
    return view;
  }

  @Get()
  @Roles('admin', 'agent', 'tam')
  @ApiOperation({ summary: 'List accounts (visibility): filter by plan, center, TAM, type; paginated' })
  @ApiQuery({ name: 'plan', required: false })
  @ApiQuery({ name: 'center', required: false })
  @ApiQuery({ name: 'tam', required: false })
  @ApiQuery({ name: 'type', required: false, enum: ['customer', 'partner'] })
  @ApiQuery({ name: 'pageSize', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } })
  @ApiQuery({ name: 'pageToken', required: false })
  list(@Query() query: unknown) {
    return this.accounts.list(parseOrThrow(listAccountsQuerySchema, query));
  }

  @Get(':id')
  @Roles('admin', 'agent', 'tam', 'customer')
  @ApiOperation({ summary: 'Read an account with its contacts and change log (degraded: memo only, when no worker answers)' })
  async get(@Param('id') id: string, @Caller() caller: Principal) {
    const accountId = parseOrThrow(idSchema('account'), id, 'id');
    await this.access.assert(caller, accountId);
    return this.accounts.read(accountId);
  }

  @Patch(':id')
  @Roles('admin', 'tam')
  @ApiOperation({ summary: 'Change plan, TAM, support center, name, contract start or partner (kept in the change log)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: openApiSchema(patchAccountSchema) })
  @ApiResponse({ status: 409, description: 'Nothing changes, or a downgrade would leave too many contacts' })
  async patch(@Param('id') id: string, @Body() body: unknown, @Caller() caller: Principal, @Headers('idempotency-key') key?: string) {
    const accountId = parseOrThrow(idSchema('account'), id, 'id');
    const idempotencyKey = parseOrThrow(idempotencyKeySchema, key, 'Idempotency-Key');
    return this.accounts.change(accountId, parseOrThrow(patchAccountSchema, body), caller, idempotencyKey);
  }

  @Post(':id/contacts')
  @Roles('admin', 'tam', 'customer')
  @HttpCode(201)
  @ApiOperation({ summary: "Register a customer contact (within the plan's maximum)" })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: openApiSchema(registerContactSchema) })
  @ApiResponse({ status: 409, description: 'Plan limit reached, or email/contactId already registered' })
  async registerContact(@Param('id') id: string, @Body() body: unknown, @Caller() caller: Principal, @Headers('idempotency-key') key?: string) {
    const accountId = parseOrThrow(idSchema('account'), id, 'id');
    const idempotencyKey = parseOrThrow(idempotencyKeySchema, key, 'Idempotency-Key');
    const input = parseOrThrow(registerContactSchema, body);
    await this.access.assert(caller, accountId);
    return this.accounts.registerContact(accountId, input, caller, idempotencyKey);
  }

  @Delete(':id/contacts/:contactId')
  @Roles('admin', 'tam', 'customer')
  @ApiOperation({ summary: 'Remove a contact (a repeated removal succeeds)' })
  async removeContact(@Param('id') id: string, @Param('contactId') contactId: string, @Caller() caller: Principal) {
    const accountId = parseOrThrow(idSchema('account'), id, 'id');
    const contact = parseOrThrow(idSchema('contact'), contactId, 'contactId');
    await this.access.assert(caller, accountId);
    return this.accounts.removeContact(accountId, contact, caller);
  }
}
