import { API_ROLES, Principal } from '../../../../libs/auth/src';

/** `role:keyId`, recorded as the actor of every change. */
export const actorOf = (principal: Principal): string => `${principal.role}:${principal.keyId}`;

const RECORDED_ACTOR = new RegExp(`^(${API_ROLES.join('|')}):`);

/**
 * An actor as a customer may see it: `role:keyId` (what the API records when a key acts without naming a
 * person) becomes the role alone, since key ids are the vendor's internals; a name given by the caller
 * (a `responder`) stays.
 */
export function publicActor(actor: string): string {
  const match = RECORDED_ACTOR.exec(actor);
  return match ? match[1] : actor;
}

/** Fields that say who acted: `actor`, `responder` and every `…By` (`createdBy`, `requestedBy`, …). */
const isActorField = (name: string) => name === 'actor' || name === 'responder' || /[a-z]By$/.test(name);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

/**
 * A response body with every actor field made public (publicActor), at any depth: the rule holds for
 * every answer to a customer key, including fields added later, without each view naming them.
 */
export function withPublicActors<T>(body: T): T {
  if (Array.isArray(body)) return body.map(withPublicActors) as T;
  if (!isPlainObject(body)) return body;
  const entries = Object.entries(body).map(([name, value]) => [
    name,
    typeof value === 'string' && isActorField(name) ? publicActor(value) : withPublicActors(value),
  ]);
  return Object.fromEntries(entries) as T;
}
