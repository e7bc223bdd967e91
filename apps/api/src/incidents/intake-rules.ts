import { ApiRole, Principal } from '../../../../libs/auth/src';
import { Problem } from '../common/problem';

/**
 * Roles that may give `enteredAt` on `POST /v1/incidents`: integrations replaying a ticket's creation
 * time run on agent or admin keys. A customer key opens an incident now; a past entry instant from it
 * would shorten its own SLA clock's history (issue 14, item 4).
 */
export const ENTERED_AT_ROLES: readonly ApiRole[] = ['agent', 'admin'];

/** 403 naming the field and the rule when the caller may not set `enteredAt`; absent, anyone may open. */
export function assertMaySetEnteredAt(body: { enteredAt?: string }, caller: Principal): void {
  if (body.enteredAt === undefined || ENTERED_AT_ROLES.includes(caller.role)) return;
  throw new Problem(
    403,
    'Forbidden',
    `enteredAt may be set by ${ENTERED_AT_ROLES.join(' and ')} keys only; this key has role ${caller.role}.`,
    [
      {
        field: 'enteredAt',
        rule: 'agentOrAdminOnly',
        message: `may be set by ${ENTERED_AT_ROLES.join(' and ')} keys only`,
      },
    ],
  );
}
