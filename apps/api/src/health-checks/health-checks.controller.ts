import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Principal } from '../../../../libs/auth/src';
import { accountIdSchema, idSchema } from '../accounts/account.schemas';
import { Caller, Roles } from '../auth/auth.decorators';
import { Endpoint } from '../common/endpoint';
import { Parsed, ZodValidationPipe } from '../common/pipes/zod-validation.pipe';
import { IdempotencyKey } from '../common/validation';
import {
  AccountHealthChecksSchema,
  CompletedTaskSchema,
  completeTaskSchema,
  HealthCheckTaskSchema,
  ListTasksQuery,
  listTasksQuerySchema,
  ReconcileReportSchema,
  RequestHealthCheckBody,
  requestHealthCheckSchema,
  scheduleTaskSchema,
  TaskPageSchema,
  taskFeedQuerySchema,
  taskIdSchema,
} from './health-check.schemas';
import { HealthChecksService } from './health-checks.service';

const accountIdParam = new ZodValidationPipe(accountIdSchema);
const taskIdParam = new ZodValidationPipe(taskIdSchema);
const NO_WORKER =
  'No worker took the command in time, or Temporal did not answer within the deadline; ' +
  'retry with the same Idempotency-Key';

@ApiTags('health checks')
@Controller('v1/accounts/:id/health-checks')
export class AccountHealthChecksController {
  constructor(private readonly healthChecks: HealthChecksService) {}

  @Post()
  @Roles('admin', 'tam', 'customer')
  @HttpCode(201)
  @Endpoint({
    operationId: 'requestHealthCheck',
    summary: "Request this contract year's remote or onsite health check (once per kind and year)",
    params: { id: idSchema('account') },
    body: requestHealthCheckSchema,
    idempotencyKey: true,
    responses: { 201: { description: 'Requested: the TAM task to schedule it', schema: HealthCheckTaskSchema } },
    errors: {
      404: "No such account (or not the caller's)",
      409: 'Already requested this contract year, or the offer is closed/expired',
      422: "The account's plan does not include this kind; preferred dates outside the contract year",
      503: NO_WORKER,
    },
  })
  async request(
    @Param('id', accountIdParam) accountId: string,
    @Body(new ZodValidationPipe(requestHealthCheckSchema)) body: RequestHealthCheckBody,
    @Caller() caller: Principal,
    @IdempotencyKey() key: string,
  ) {
    return this.healthChecks.request(accountId, body, caller, key);
  }

  @Get()
  @Roles('admin', 'agent', 'tam', 'customer')
  @Endpoint({
    operationId: 'listAccountHealthChecks',
    summary: "The account's health checks per contract year: offer, requests, tasks and their states",
    params: { id: idSchema('account') },
    responses: { 200: { description: 'Health checks by contract year', schema: AccountHealthChecksSchema } },
    errors: { 404: "No such account (or not the caller's)" },
  })
  async list(@Param('id', accountIdParam) accountId: string, @Caller() caller: Principal) {
    return this.healthChecks.forAccount(accountId, caller);
  }
}

@ApiTags('tasks')
@Controller('v1/tasks')
export class TasksController {
  constructor(private readonly healthChecks: HealthChecksService) {}

  @Get()
  @Roles('admin', 'tam')
  @Endpoint({
    operationId: 'listTasks',
    summary: 'TAM tasks (visibility, SlaOwner): a TAM key sees its own by default',
    description:
      '`owner`: TAM id or queue address. A TAM key lists its own tasks only (`owner` left out or its own tamId); ' +
      'an admin key may name any owner, or none for all. `due_before` is the deprecated name of `dueBefore`.',
    query: listTasksQuerySchema,
    responses: { 200: { description: 'A page of tasks', schema: TaskPageSchema } },
    errors: {
      400:
        'The query does not match: a filter value (`owner`) given twice, empty, too long or holding ' +
        'control characters (rule `noControlCharacters`) is refused at once, naming the parameter',
      403: 'Roles allowed: admin, tam; a TAM key naming another `owner` (`owner: ownTasks`)',
    },
  })
  list(@Query(new ZodValidationPipe(listTasksQuerySchema)) query: ListTasksQuery, @Caller() caller: Principal) {
    return this.healthChecks.tasks(query, caller);
  }

  @Post(':id/schedule')
  @Roles('admin', 'tam')
  @HttpCode(200)
  @Endpoint({
    operationId: 'scheduleTask',
    summary: 'Record the date agreed for a requested health check (the reminder goes 2 business days before)',
    params: { id: taskIdSchema },
    body: scheduleTaskSchema,
    idempotencyKey: true,
    responses: { 200: { description: 'The scheduled task', schema: HealthCheckTaskSchema } },
    errors: {
      404: "No such task (or not the caller's)",
      409: 'The task is not open',
      422: 'The date is outside the contract year or past',
      503: NO_WORKER,
    },
  })
  async schedule(
    @Param('id', taskIdParam) taskId: string,
    @Body(new ZodValidationPipe(scheduleTaskSchema)) { date }: Parsed<typeof scheduleTaskSchema>,
    @Caller() caller: Principal,
    @IdempotencyKey() key: string,
  ) {
    return this.healthChecks.schedule(taskId, date, caller, key);
  }

  @Post(':id/complete')
  @Roles('admin', 'tam')
  @HttpCode(200)
  @Endpoint({
    operationId: 'completeTask',
    summary:
      'Record the completed health check (once scheduled) or account review (`<accountId>:<year>:review-<n>`) ' +
      'with its summary',
    params: { id: taskIdSchema },
    body: completeTaskSchema,
    idempotencyKey: true,
    responses: { 200: { description: 'The completed task', schema: CompletedTaskSchema } },
    errors: {
      404: "No such task (or not the caller's)",
      409: 'The task is not scheduled/open',
      422: 'A rule refuses it',
      503: NO_WORKER,
    },
  })
  async complete(
    @Param('id', taskIdParam) taskId: string,
    @Body(new ZodValidationPipe(completeTaskSchema)) { summary }: Parsed<typeof completeTaskSchema>,
    @Caller() caller: Principal,
    @IdempotencyKey() key: string,
  ) {
    return this.healthChecks.complete(taskId, summary, caller, key);
  }
}

@ApiTags('tasks')
@Controller('v1')
export class TaskFeedController {
  constructor(private readonly healthChecks: HealthChecksService) {}

  @Get('tasks.ics')
  @Roles('admin', 'tam')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Endpoint({
    operationId: 'taskFeed',
    summary:
      "Open and scheduled tasks as an iCalendar feed (RFC 5545) in the TAM's zone: a TAM key gets its own, " +
      'an admin key any `owner` (or all)',
    description:
      'A subscribable calendar: scheduled health checks at their agreed time, open tasks as all-day entries on ' +
      'their due date, each with a stable UID. A TAM key gets its own feed (another `owner` is 403, as on ' +
      "GET /v1/tasks); an admin key names any `owner`, or none for every owner's tasks.",
    query: taskFeedQuerySchema,
    responses: { 200: { description: 'The feed (text/calendar, RFC 5545)', contentType: 'text/calendar' } },
    errors: { 403: "Roles allowed: admin, tam; a TAM key that names no tamId has no feed, nor another owner's" },
  })
  feed(
    @Query(new ZodValidationPipe(taskFeedQuerySchema)) query: Parsed<typeof taskFeedQuerySchema>,
    @Caller() caller: Principal,
  ) {
    return this.healthChecks.taskFeed(query, caller);
  }
}

@ApiTags('admin')
@Controller('v1/admin/health-check-schedules')
export class HealthCheckSchedulesController {
  constructor(private readonly healthChecks: HealthChecksService) {}

  @Post('reconcile')
  @Roles('admin')
  @HttpCode(200)
  @Endpoint({
    operationId: 'reconcileHealthCheckSchedules',
    summary: 'Make the health-checks/* schedules match the eligible accounts; reports what was fixed',
    responses: { 200: { description: 'What was created, updated and deleted', schema: ReconcileReportSchema } },
  })
  reconcile() {
    return this.healthChecks.reconcile();
  }
}
