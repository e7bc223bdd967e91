import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AuthenticatedRequest } from '../auth/auth.decorators';
import { Problem } from '../common/problem';
import { ApiMetrics } from './metrics';
import { RateLimiter } from './rate-limiter';

export const RATE_LIMITER = Symbol('RATE_LIMITER');

/** The 429 answer: how long until enough tokens are back, in `Retry-After`. */
export function tooManyRequests(detail: string, retryAfterSeconds: number): Problem {
  return new Problem(429, 'Too many requests', detail, [], {}, { 'Retry-After': String(retryAfterSeconds) });
}

/**
 * One token of the key's bucket per request (RateLimiter). Runs after the AuthGuard (app.module.ts), which
 * sets the principal; public routes have none and are not limited. Expensive requests take the rest of
 * their weight in their handler, which knows the cost (calendars.controller.ts, whatIfCost).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    private readonly metrics: ApiMetrics,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!principal) return true;
    const allowed = this.limiter.take(principal.keyId);
    if (!allowed.ok) {
      this.metrics.rateLimited.inc();
      const detail = `Rate limit of ${this.limiter.perMinute} requests a minute for this key.`;
      throw tooManyRequests(detail, allowed.retryAfterSeconds);
    }
    return true;
  }
}
