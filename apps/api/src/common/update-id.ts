import { createHash, randomUUID } from 'node:crypto';

/**
 * Every command has a key: the client's `Idempotency-Key`, or one the API generates for the request.
 * Its update ID (or incident id) derives from the key, so a retry with the key is the same command.
 * A generated key is returned with a 503 (header and `idempotencyKey`): a 503 means "retry with this
 * key", never "maybe applied, maybe not" (docs/api.md, Idempotency).
 */
const COMMAND_KEY = Symbol('commandKey');

type WithCommandKey = { [COMMAND_KEY]?: string };

/** Keys the API generates carry a prefix, so logs and support can tell them from a client's. */
export const GENERATED_KEY_PREFIX = 'api-';

/** The request's command key: the client's if given, else a generated one; remembered on the request. */
export function assignCommandKey(request: object, given: string | undefined): string {
  const key = given ?? `${GENERATED_KEY_PREFIX}${randomUUID()}`;
  (request as WithCommandKey)[COMMAND_KEY] = key;
  return key;
}

/** The command key of a request that carried a command (undefined for reads). */
export function commandKeyOf(request: object): string | undefined {
  return (request as WithCommandKey)[COMMAND_KEY];
}

/**
 * Update IDs derived from the command key, so a retried request is the same update (undefined only
 * for a caller with no request behind it: Temporal then picks a fresh ID).
 */
export function updateIdFor(scope: string, key: string | undefined): string | undefined {
  return key === undefined ? undefined : `${scope}:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}
