import { createHash, randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import {
  CommandFingerprint,
  fingerprintOf,
  REQUEST_FINGERPRINT,
} from '../../../../libs/contracts/src/command-fingerprint';
import { Problem } from './problem';

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

/** Update IDs derived from the command key, so a retried request is the same update. */
export function updateIdFor(scope: string, key: string): string {
  return `${scope}:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** A command as Temporal sees it: its update ID (from the key) and the fingerprint of its body. */
export interface CommandIdentity {
  updateId: string;
  fingerprint: string;
}

/** JSON with object keys sorted at every depth: the same body gives the same text whatever its key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The identity of a command: `scope` names the operation (and its target), `body` what the client sent. */
export function commandIdentity(scope: string, key: string, body: unknown): CommandIdentity {
  const fingerprint = createHash('sha256')
    .update(`${scope}\n${canonicalJson(body)}`)
    .digest('hex')
    .slice(0, 32);
  return { updateId: updateIdFor(scope, key), fingerprint };
}

/** The update's argument with the command's fingerprint, which the workflows echo in the result. */
export function withFingerprint<A extends object>(argument: A, command: CommandIdentity): A {
  return { ...argument, [REQUEST_FINGERPRINT]: command.fingerprint };
}

export function keyReusedProblem(): Problem {
  return Problem.conflict('This Idempotency-Key was already used with a different body.', [
    { field: 'Idempotency-Key', rule: 'sameBody', message: 'was used with a different body' },
  ]);
}

/**
 * The result of a command without its echoed fingerprint; 409 when the fingerprint that came back is
 * another body's (the key was first used for a different command, whose result Temporal returned).
 */
export function sameCommand<R>(result: R, command: CommandIdentity): R {
  const echoed = fingerprintOf(result);
  if (echoed !== undefined && echoed !== command.fingerprint) throw keyReusedProblem();
  if (!result || typeof result !== 'object' || !(REQUEST_FINGERPRINT in result)) return result;
  const { [REQUEST_FINGERPRINT]: _echo, ...rest } = result as R & CommandFingerprint;
  return rest as R;
}

/** Runs a command as an update of `handle`: the key's update ID, the fingerprint in and checked out. */
export async function executeCommand<R, A extends object>(
  handle: WorkflowHandle,
  update: UpdateDefinition<R, [A]>,
  argument: A,
  command: CommandIdentity,
): Promise<R> {
  const result = await handle.executeUpdate(update, {
    args: [withFingerprint(argument, command)],
    updateId: command.updateId,
  });
  return sameCommand(result, command);
}
