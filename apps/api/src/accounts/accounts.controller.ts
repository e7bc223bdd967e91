import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Principal } from '../../../../libs/auth/src';
import { AccountAccess } from '../auth/account-access';
import { Caller, Roles } from '../auth/auth.decorators';
import { Endpoint } from '../common/endpoint';
import { Parsed, ZodValidationPipe } from '../common/pipes/zod-validation.pipe';
import { IdempotencyKey } from '../common/validation';
import {
  accountIdSchema,
  AccountChangesPageSchema,
  accountChangesQuerySchema,
  AccountPageSchema,
  AccountViewSchema,
  ContactSchema,
  CreateAccountBody,
  createAccountSchema,
  idSchema,
  listAccountsQuerySchema,
  PatchAccountBody,
  patchAccountSchema,
  RegisterContactBody,
  registerContactSchema,
} from './account.schemas';
import { AccountsService } from './accounts.service';

const accountParams = { id: idSchema('account') };
const accountIdParam = new ZodValidationPipe(accountIdSchema);
const NO_WORKER =
  'No worker took the change in time, or Temporal did not answer within the deadline; ' +
  'retry (with the same Idempotency-Key)';

@ApiTags('accounts')
@Controller('v1/accounts')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly access: AccountAccess,
  ) {}

  @Post()
  @Roles('admin')
  @HttpCode(201)
  @Endpoint({
    operationId: 'createAccount',
    summary: 'Create an account (starts its entity workflow account/<id>)',
    description: 'The account id is the idempotency key: the same body again answers 200 with the account.',
    body: createAccountSchema,
    bodyExample: {
      id: 'acme',
      name: 'Acme',
      type: 'customer',
      plan: 'SP2',
      supportCenter: 'emea',
      contractStart: '2025-03-01',
    },
    responses: {
      201: { description: 'Created', schema: AccountViewSchema, headers: ['Location'] },
      200: {
        description: 'Same account already created (retried request)',
        schema: AccountViewSchema,
        headers: ['Location'],
      },
    },
    errors: {
      409: 'The id is taken by an account with other details',
      422:
        'Unknown plan or center, TAM on a plan without one, `tamId` not in the people directory ' +
        '(`tamId: inDirectory`), partner not a partner',
    },
  })
  async create(
    @Body(new ZodValidationPipe(createAccountSchema)) body: CreateAccountBody,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { view, created } = await this.accounts.create(body, caller);
    if (!created) response.status(200);
    response.location(`/v1/accounts/${view.account.accountId}`);
    return view;
  }

  @Get()
  @Roles('admin', 'agent', 'tam')
  @Endpoint({
    operationId: 'listAccounts',
    summary: 'List accounts (visibility): filter by plan, center, TAM, type; paginated',
    query: listAccountsQuerySchema,
    responses: { 200: { description: 'A page of accounts', schema: AccountPageSchema } },
    errors: {
      400:
        'The query does not match: a filter value (`plan`, `center`, `tam`) given twice, empty, too long or holding ' +
        'control characters (rule `noControlCharacters`) is refused at once, naming the parameter',
    },
  })
  list(@Query(new ZodValidationPipe(listAccountsQuerySchema)) query: Parsed<typeof listAccountsQuerySchema>) {
    return this.accounts.list(query);
  }

  @Get(':id')
  @Roles('admin', 'agent', 'tam', 'customer')
  @Endpoint({
    operationId: 'getAccount',
    summary: 'Read an account with its contacts and change log',
    description: '`degraded: true`: read from the memo because no worker answered; `changes` is then empty.',
    params: accountParams,
    responses: { 200: { description: 'The account', schema: AccountViewSchema } },
    errors: { 404: "No such account (or not the caller's)" },
  })
  async get(@Param('id', accountIdParam) accountId: string, @Caller() caller: Principal) {
    await this.access.assert(caller, accountId);
    return this.accounts.read(accountId);
  }

  @Get(':id/changes')
  @Roles('admin', 'agent', 'tam', 'customer')
  @Endpoint({
    operationId: 'getAccountChanges',
    summary: 'The whole change log of an account, oldest first, page by page',
    description:
      'Every change, never dropped (the account read shows the last 20 with `changeCount`). Answered by a worker.',
    params: accountParams,
    query: accountChangesQuerySchema,
    responses: { 200: { description: 'A page of the change log', schema: AccountChangesPageSchema } },
    errors: {
      400: 'pageSize out of 1-1000, or a pageToken not from this API',
      404: "No such account (or not the caller's)",
      503: 'No worker answered in time; retry shortly',
    },
  })
  async changes(
    @Param('id', accountIdParam) accountId: string,
    @Query(new ZodValidationPipe(accountChangesQuerySchema)) query: Parsed<typeof accountChangesQuerySchema>,
    @Caller() caller: Principal,
  ) {
    await this.access.assert(caller, accountId);
    return this.accounts.changes(accountId, query);
  }

  @Patch(':id')
  @Roles('admin', 'tam')
  @Endpoint({
    operationId: 'changeAccount',
    summary: 'Change plan, TAM, support center, name, contract start or partner (kept in the change log)',
    params: accountParams,
    body: patchAccountSchema,
    idempotencyKey: true,
    responses: { 200: { description: 'The account after the change', schema: AccountViewSchema } },
    errors: {
      404: 'No such account',
      409: 'Nothing changes, or a downgrade would leave too many contacts',
      422: 'Unknown plan or center, TAM on a plan without one, `tamId` not in the people directory (`tamId: inDirectory`)',
      503: NO_WORKER,
    },
  })
  async patch(
    @Param('id', accountIdParam) accountId: string,
    @Body(new ZodValidationPipe(patchAccountSchema)) body: PatchAccountBody,
    @Caller() caller: Principal,
    @IdempotencyKey() key: string,
  ) {
    return this.accounts.change(accountId, body, caller, key);
  }

  @Post(':id/contacts')
  @Roles('admin', 'tam', 'customer')
  @HttpCode(201)
  @Endpoint({
    operationId: 'registerContact',
    summary: "Register a customer contact (within the plan's maximum)",
    params: accountParams,
    body: registerContactSchema,
    idempotencyKey: true,
    responses: { 201: { description: 'Registered', schema: ContactSchema } },
    errors: {
      404: "No such account (or not the caller's)",
      409: 'Plan limit reached, or email/contactId already registered',
      503: NO_WORKER,
    },
  })
  async registerContact(
    @Param('id', accountIdParam) accountId: string,
    @Body(new ZodValidationPipe(registerContactSchema)) input: RegisterContactBody,
    @Caller() caller: Principal,
    @IdempotencyKey() key: string,
  ) {
    await this.access.assert(caller, accountId);
    return this.accounts.registerContact(accountId, input, caller, key);
  }

  @Delete(':id/contacts/:contactId')
  @Roles('admin', 'tam', 'customer')
  @Endpoint({
    operationId: 'removeContact',
    summary: 'Remove a contact (a repeated removal succeeds)',
    params: { ...accountParams, contactId: idSchema('contact') },
    responses: { 200: { description: 'The account after the removal', schema: AccountViewSchema } },
    errors: { 404: "No such account (or not the caller's)", 503: NO_WORKER },
  })
  async removeContact(
    @Param('id', accountIdParam) accountId: string,
    @Param('contactId', new ZodValidationPipe(idSchema('contact'))) contactId: string,
    @Caller() caller: Principal,
  ) {
    await this.access.assert(caller, accountId);
    return this.accounts.removeContact(accountId, contactId, caller);
  }
}
