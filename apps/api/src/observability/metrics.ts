import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The API's Prometheus metrics (`GET /metrics`); the worker exports Temporal and SLA metrics itself. */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'sla_api_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'sla_api_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly incidentsOpened = new Counter({
    name: 'sla_incidents_opened_total',
    help: 'Incidents opened through the API by plan and severity',
    labelNames: ['plan', 'severity'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'sla_api_rate_limited_total',
    help: 'Requests refused with 429 by the per-key rate limit',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'sla_api_' });
  }
}
