import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiRole } from '../../../../libs/auth/src';
import { Problem } from '../common/problem';
import { AuthenticatedRequest, ROLES_KEY } from './auth.decorators';
import { isPublic } from './auth.guard';

/**
 * The roles of @Roles(). The last guard, after the rate limit: a key over its limit gets 429 before it
 * learns whether its role may call the route, and a refused call still counts against the limit.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (isPublic(this.reflector, context)) return true;
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<ApiRole[] | undefined>(ROLES_KEY, targets);
    if (principal && roles && !roles.includes(principal.role)) {
      const detail = `This operation needs role ${roles.join(' or ')}; the key has role ${principal.role}.`;
      throw new Problem(403, 'Forbidden', detail);
    }
    return true;
  }
}
