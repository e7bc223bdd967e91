import type {
  Next,
  UpdateInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { fingerprintOf, REQUEST_FINGERPRINT } from '../../libs/contracts/src/command-fingerprint';

/**
 * Echoes the request fingerprint of every update into its result (libs/contracts/src/command-fingerprint.ts),
 * for all workflows at once: the API compares it with the retry's own and answers 409 when an
 * Idempotency-Key comes back with another body. Results only: the commands a workflow emits are unchanged.
 */
class CommandFingerprintEcho implements WorkflowInboundCallsInterceptor {
  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    const fingerprint = fingerprintOf(input.args[0]);
    // Without a fingerprint (every update recorded before the echo existed) the handler's own promise
    // is returned untouched: an extra `then` would complete the update a microtask later, after
    // commands it used to precede, and older histories would no longer replay.
    if (!fingerprint) return next(input);
    return next(input).then((result) => echo(result, fingerprint));
  }
}

function echo(result: unknown, fingerprint: string): unknown {
  if (!result || typeof result !== 'object' || Array.isArray(result)) return result;
  return { ...result, [REQUEST_FINGERPRINT]: fingerprint };
}

export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [new CommandFingerprintEcho()] });
