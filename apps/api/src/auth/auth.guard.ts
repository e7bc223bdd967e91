import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyStore } from '../../../../libs/auth/src';
import { Problem } from '../common/problem';
import { AuthenticatedRequest, PUBLIC_KEY } from './auth.decorators';

export const KEY_STORE = Symbol('KEY_STORE');

/** True for routes marked @Public(): no key, no rate limit, no role. */
export function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [context.getHandler(), context.getClass()]) === true;
}

/**
 * Bearer API keys on every route except those marked @Public(): sets `request.principal`. The first of the
 * application's guards (app.module.ts): the rate limit and the roles read the principal it sets.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(KEY_STORE) private readonly keys: ApiKeyStore,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (isPublic(this.reflector, context)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const principal = match ? this.keys.authenticate(match[1]) : undefined;
    if (!principal) {
      const detail = match ? 'Unknown API key.' : 'Send an API key as `Authorization: Bearer <key>`.';
      const error = match
        ? { field: 'Authorization', rule: 'knownKey', message: 'is not a known key' }
        : { field: 'Authorization', rule: 'required', message: 'is required' };
      throw new Problem(401, 'Unauthorized', detail, [error], {}, { 'WWW-Authenticate': 'Bearer' });
    }
    request.principal = principal;
    return true;
  }
}
