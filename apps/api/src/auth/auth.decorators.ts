import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { ApiRole, Principal } from '../../../../libs/auth/src';

export const PUBLIC_KEY = 'sla:public';
export const ROLES_KEY = 'sla:roles';

/** Open without a key (health and metrics only). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The roles allowed on a route; customers are further limited to their own account(s) by the handlers. */
export const Roles = (...roles: ApiRole[]) => SetMetadata(ROLES_KEY, roles);

export type AuthenticatedRequest = Request & { principal?: Principal };

/** The authenticated caller (set by the guard). */
export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('route without authentication asked for the caller');
  return principal;
});
