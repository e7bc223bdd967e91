import { randomUUID } from 'node:crypto';
import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { AuthenticatedRequest } from '../auth/auth.decorators';
import { markReceived } from '../common/received-at';
import { ApiMetrics } from './metrics';

export const API_LOGGER = Symbol('API_LOGGER');
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** One JSON log line and the HTTP metrics per request, correlated by `x-request-id` (and incident id). */
@Injectable()
export class RequestLogMiddleware implements NestMiddleware {
  constructor(
    private readonly metrics: ApiMetrics,
    @Inject(API_LOGGER) private readonly logger: Logger,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    markReceived(req);
    const started = process.hrtime.bigint();
    const presented = req.header('x-request-id');
    const requestId = presented && REQUEST_ID.test(presented) ? presented : randomUUID();
    res.setHeader('x-request-id', requestId);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      this.metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      this.metrics.httpDuration.observe({ method: req.method, route }, seconds);
      const incidentId = route.startsWith('/v1/incidents/:id') ? req.params?.id : undefined;
      this.logger[res.statusCode >= 500 ? 'error' : 'info'](
        {
          requestId,
          method: req.method,
          route,
          path: req.path,
          status: res.statusCode,
          durationMs: Math.round(seconds * 1000),
          keyId: (req as AuthenticatedRequest).principal?.keyId,
          ...(incidentId ? { incidentId, workflowId: `incident/${incidentId}` } : {}),
        },
        'http request',
      );
    });
    next();
  }
}
