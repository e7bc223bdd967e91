import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { from, lastValueFrom, Observable } from 'rxjs';
import { AppConfig } from '../../../../libs/settings/src';
import { APP_CONFIG } from '../core/app-config';
import { TEMPORAL_CLIENT } from '../temporal.providers';

/**
 * Every Temporal call a request makes gets a deadline (`API_TEMPORAL_TIMEOUT_MS` from the request's
 * start). The client sets no deadline of its own, so a stalled server (one that accepts the connection
 * and never answers) held requests for as long as it stalled. The deadline sits in the connection's
 * call context, which every gRPC call of the client reads: reads, lists, starts and describes alike,
 * without each call site having to remember it. Calls that wait for a worker on purpose set their own,
 * longer deadline (`withWorker`, `API_WORKER_WAIT_MS`; `API_QUERY_WAIT_MS`), which replaces this one for
 * their scope. A DEADLINE_EXCEEDED becomes 503 with Retry-After (problem.filter.ts).
 */
@Injectable()
export class TemporalDeadlineInterceptor implements NestInterceptor {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // The handler runs inside withDeadline's scope, so it and everything it awaits carry the deadline.
    const deadline = Date.now() + this.config.API_TEMPORAL_TIMEOUT_MS;
    const handled = () => lastValueFrom(next.handle(), { defaultValue: undefined });
    return from(this.client.connection.withDeadline(deadline, handled));
  }
}
