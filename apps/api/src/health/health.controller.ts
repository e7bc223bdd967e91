import { Controller, Get, HttpCode, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { Public } from '../auth/auth.decorators';
import { Problem } from '../common/problem';
import { TEMPORAL_CLIENT } from '../temporal.providers';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOperation({ summary: 'Readiness: Temporal answers (503 otherwise)' })
  async ready() {
    try {
      await this.client.workflowService.getSystemInfo({});
      await this.client.workflowService.describeNamespace({ namespace: this.client.options.namespace });
    } catch (error) {
      throw new Problem(503, 'Not ready', `Temporal is not reachable: ${(error as Error).message}`);
    }
    return { status: 'ready', temporal: { namespace: this.client.options.namespace } };
  }
}
