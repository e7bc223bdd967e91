import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyStore, ApiRole } from '../../../../libs/auth/src';
import { Problem } from '../common/problem';
import { ApiMetrics } from '../observability/metrics';
import { RateLimiter } from '../observability/rate-limiter';
import { AuthenticatedRequest, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';

export const KEY_STORE = Symbol('KEY_STORE');
export const RATE_LIMITER = Symbol('RATE_LIMITER');

/** Bearer API keys on every route except those marked @Public(); roles from @Roles(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(KEY_STORE) private readonly keys: ApiKeyStore,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    private readonly metrics: ApiMetrics,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const principal = match ? this.keys.authenticate(match[1]) : undefined;
    if (!principal) {
      throw new Problem(401, 'Unauthorized', match ? 'Unknown API key.' : 'Send an API key as `Authorization: Bearer <key>`.', [
        { field: 'Authorization', rule: match ? 'knownKey' : 'required', message: match ? 'is not a known key' : 'is required' },
      ], {}, { 'WWW-Authenticate': 'Bearer' });
    }
    request.principal = principal;
    const allowed = this.limiter.take(principal.keyId);
    if (!allowed.ok) {
      this.metrics.rateLimited.inc();
      throw new Problem(429, 'Too many requests', `Rate limit of ${this.limiter.perMinute} requests a minute for this key.`, [], {}, {
        'Retry-After': String(allowed.retryAfterSeconds),
      });
    }
    const roles = this.reflector.getAllAndOverride<ApiRole[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new Problem(403, 'Forbidden', `This operation needs role ${roles.join(' or ')}; the key has role ${principal.role}.`);
    }
    return true;
  }
}
