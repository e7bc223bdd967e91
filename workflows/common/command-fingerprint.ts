import type { Next, UpdateInput, WorkflowInboundCallsInterceptor, WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { fingerprintOf, REQUEST_FINGERPRINT } from '../../libs/contracts/src/command-fingerprint';

/**
 * Echoes the request fingerprint of every update into its result (libs/contracts/src/command-fingerprint.ts),
 * for all workflows at once: the API compares it with the retry's own and answers 409 when an
 * Idempotency-Key comes back with another body. Results only: the commands a workflow emits are unchanged.
 */
class CommandFingerprintEcho implements WorkflowInboundCallsInterceptor {
  async handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    const result = await next(input);
    const fingerprint = fingerprintOf(input.args[0]);
    if (!fingerprint || !result || typeof result !== 'object' || Array.isArray(result)) return result;
    return { ...result, [REQUEST_FINGERPRINT]: fingerprint };
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [new CommandFingerprintEcho()] });
