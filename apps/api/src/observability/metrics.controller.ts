import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { Endpoint } from '../common/endpoint';
import { ApiMetrics } from './metrics';

@ApiTags('health')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ApiMetrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Endpoint({
    operationId: 'metrics',
    summary: 'Prometheus metrics of the API (the worker exports Temporal and SLA metrics on its own port)',
    responses: { 200: { description: 'Prometheus text exposition format', contentType: 'text/plain' } },
  })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
