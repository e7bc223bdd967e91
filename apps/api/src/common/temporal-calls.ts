import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { REJECTION, RejectionDetails } from '../../../../libs/contracts/src';
import { Problem } from './problem';

function isDeadline(error: unknown): boolean {
  const code = (error as { code?: number })?.code;
  return code === 4 /* DEADLINE_EXCEEDED */ || /deadline/i.test(String((error as Error)?.message));
}

/**
 * Runs a call that needs a worker (update, query) with a deadline, and maps Temporal's answers:
 * validator rejections to their problem status, a missing workflow to 404, no worker to 503.
 * `waitMs`: how long the request waits for a worker to take the update (`API_WORKER_WAIT_MS`).
 */
export async function withWorker<T>(
  client: Client,
  waitMs: number,
  what: string,
  call: () => Promise<T>,
  notFound?: string,
): Promise<T> {
  try {
    return await client.connection.withDeadline(Date.now() + waitMs, call);
  } catch (error) {
    throw toProblemOrRethrow(error, what, notFound);
  }
}

export function toProblemOrRethrow(error: unknown, what: string, notFound?: string): unknown {
  if (error instanceof WorkflowNotFoundError) return Problem.notFound(notFound ?? `${what}: not found.`);
  // An update's validator refused it: an ApplicationFailure as the cause.
  const failure =
    error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure ? error.cause : undefined;
  if (failure?.type === REJECTION) {
    const details = failure.details?.[0] as RejectionDetails | undefined;
    if (details) {
      const title =
        details.status === 404 ? 'Not found' : details.status === 409 ? 'Conflict' : 'Request cannot be processed';
      const { field, rule, message } = details;
      return new Problem(details.status, title, message, [{ field, rule, message }]);
    }
  }
  // A validator that refused with a plain failure: still the client's mistake, never a 500.
  if (failure) {
    return Problem.unprocessable([{ field: 'body', rule: failure.type ?? 'rejected', message: failure.message }]);
  }
  if (isDeadline(error)) return Problem.unavailable(`${what}: no worker answered in time; retry shortly.`);
  return error;
}
