import { Controller, Get, HttpCode, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { Public } from '../auth/auth.decorators';
import { Endpoint } from '../common/endpoint';
import { AppConfig } from '../../../../libs/settings/src';
import { Problem } from '../common/problem';
import { APP_CONFIG } from '../core/app-config';
import { LivenessSchema, ReadinessSchema } from './health.schemas';
import { TEMPORAL_CLIENT } from '../temporal.providers';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('live')
  @Endpoint({
    operationId: 'liveness',
    summary: 'Liveness: the process answers',
    responses: { 200: { description: 'Alive', schema: LivenessSchema } },
  })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @Endpoint({
    operationId: 'readiness',
    summary: 'Readiness: Temporal answers (503 otherwise)',
    responses: { 200: { description: 'Ready', schema: ReadinessSchema } },
    errors: { 503: 'Temporal is not reachable, or did not answer within the probe timeout (`API_READY_TIMEOUT_MS`)' },
  })
  async ready() {
    // Its own deadline (API_READY_TIMEOUT_MS), shorter than a request's: a probe that hangs on a stalled
    // server tells the orchestrator nothing until its own timeout, and holds a connection meanwhile.
    try {
      await this.client.connection.withDeadline(Date.now() + this.config.API_READY_TIMEOUT_MS, async () => {
        await this.client.workflowService.getSystemInfo({});
        await this.client.workflowService.describeNamespace({ namespace: this.client.options.namespace });
      });
    } catch (error) {
      throw Problem.unavailable(`Temporal is not reachable: ${(error as Error).message}`);
    }
    return { status: 'ready', temporal: { namespace: this.client.options.namespace } };
  }
}
