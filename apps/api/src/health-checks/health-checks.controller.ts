import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Principal } from '../../../../libs/auth/src';
import { idSchema } from '../accounts/account.schemas';
import { Caller, Roles } from '../auth/auth.decorators';
import { openApiSchema } from '../common/openapi';
import { idempotencyKeySchema, parseOrThrow } from '../common/validation';
import { completeTaskSchema, listTasksQuerySchema, requestHealthCheckSchema, scheduleTaskSchema, taskFeedQuerySchema, taskIdSchema } from './health-check.schemas';
import { HealthChecksService } from './health-checks.service';

@ApiTags('health checks')
@ApiBearerAuth()
@Controller('v1/accounts/:id/health-checks')
export class AccountHealthChecksController {
  constructor(private readonly healthChecks: HealthChecksService) {}

  @Post()
  @Roles('admin', 'tam', 'customer')
  @HttpCode(201)
  @ApiOperation({ summary: "Request this contract year's remote or onsite health check (once per kind and year)" })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: openApiSchema(requestHealthCheckSchema) })
  @ApiResponse({ status: 409, description: 'Already requested this contract year, or the offer is closed/expired' })
  @ApiResponse({ status: 422, description: "The account's plan does not include this kind; preferred dates outside the contract year" })
  async request(@Param('id') id: string, @Body() body: unknown, @Caller() caller: Principal, @Headers('idempotency-key') key?: string) {
    const accountId = parseOrThrow(idSchema('account'), id, 'id');
    const idempotencyKey = parseOrThrow(idempotencyKeySchema, key, 'Idempotency-Key');
    return this.healthChecks.request(accountId, parseOrThrow(requestHealthCheckSchema, body), caller, idempotencyKey);
  }

  @Get()
  @Roles('admin', 'agent', 'tam', 'customer')
  @ApiOperation({ summary: "The account's health checks per contract year: offer, requests, tasks and their states" })
  async list(@Param('id') id: string, @Caller() caller: Principal) {
    return this.healthChecks.forAccount(parseOrThrow(idSchema('account'), id, 'id'), caller);
  }
}

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v1/tasks')
export class TasksController {
  constructor(private readonly healthChecks: HealthChecksService) {}

  @Get()
  @Roles('admin', 'tam')
  @ApiOperation({ summary: "TAM tasks (visibility, SlaOwner): a TAM key sees its own by default" })
  @ApiQuery({ name: 'owner', required: false, description: 'TAM id or queue address; default: the calling TAM' })
  @ApiQuery({ name: 'state', required: false, enum: ['open', 'scheduled', 'done', 'expired', 'closed'] })
  @ApiQuery({ name: 'due_before', required: false, description: 'ISO instant' })
  @ApiQuery({ name: 'pageSize', required: false })
  @ApiQuery({ name: 'pageToken', required: false })
  list(@Query() query: unknown, @Caller() caller: Principal) {
    return this.healthChecks.tasks(parseOrThrow(listTasksQuerySchema, query), caller);
  }

  @Post(':id/schedule')
  @Roles('admin', 'tam')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the date agreed for a requested health check (the reminder goes 2 business days before)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: openApiSchema(scheduleTaskSchema) })
  async schedule(@Param('id') id: string, @Body() body: unknown, @Caller() caller: Principal, @Headers('idempotency-key') key?: string) {
    const taskId = parseOrThrow(taskIdSchema, id, 'id');
    const idempotencyKey = parseOrThrow(idempotencyKeySchema, key, 'Idempotency-Key');
    return this.healthChecks.schedule(taskId, parseOrThrow(scheduleTaskSchema, body).date, caller, idempotencyKey);
  }

  @Post(':id/complete')
  @Roles('admin', 'tam')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the completed health check (once scheduled) or account review (`<accountId>:<year>:review-<n>`) with its summary' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: openApiSchema(completeTaskSchema) })
  async complete(@Param('id') id: string, @Body() body: unknown, @Caller() caller: Principal, @Headers('idempotency-key') key?: string) {
    const taskId = parseOrThrow(taskIdSchema, id, 'id');
    const idempotencyKey = parseOrThrow(idempotencyKeySchema, key, 'Idempotency-Key');
    return this.healthChecks.complete(taskId, parseOrThrow(completeTaskSchema, body).summary, caller, idempotencyKey);
  }
}

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v1')
export class TaskFeedController {
  constructor(private readonly healthChecks: HealthChecksService) {}

  @Get('tasks.ics')
  @Roles('admin', 'tam')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Open and scheduled tasks as an iCalendar feed (RFC 5545) in the TAM\'s zone: a TAM key gets its own, an admin key any `owner` (or all)',
  })
  @ApiQuery({ name: 'owner', required: false, description: 'admin keys only: TAM id or queue address' })
  @ApiProduces('text/calendar')
  feed(@Query() query: unknown, @Caller() caller: Principal) {
    return this.healthChecks.taskFeed(parseOrThrow(taskFeedQuerySchema, query), caller);
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/health-check-schedules')
export class HealthCheckSchedulesController {
  constructor(private readonly healthChecks: HealthChecksService) {}

  @Post('reconcile')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make the health-checks/* schedules match the eligible accounts; reports what was fixed' })
  reconcile() {
    return this.healthChecks.reconcile();
  }
}
