import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { withPublicActors } from './actors';
import type { AuthenticatedRequest } from './auth.decorators';

/**
 * Answers to a customer key name who acted by role only (`agent`, not `agent:key-7`): accounts, contacts,
 * change logs and health checks as much as incidents. Vendor staff see the key ids.
 */
@Injectable()
export class CustomerActorsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const caller = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (caller?.role !== 'customer') return next.handle();
    return next.handle().pipe(map(withPublicActors));
  }
}
