import { patched } from '@temporalio/workflow';
import { RecordResponseInput, RequestInstant } from '../../libs/contracts/src/incident';

/**
 * Patch id of request instants: a response, reclassification or resolution that carries `receivedAt`
 * (the instant the API received it) takes effect then, clamped to [entry, now], and a response dated
 * in the past records who recorded it. Checked when a command carrying `receivedAt` is applied (its
 * marker lands in that workflow task, so runs that never get one, and their histories, are unchanged);
 * a command applied before the patch (an older worker ignored `receivedAt`) replays at workflow time.
 */
export const REQUEST_INSTANTS_PATCH = 'request-instants';

/** The command as the workflow applies it: without `receivedAt` (and the recorder) unless patched. */
export function fromRequest<T extends RequestInstant>(args: T): T {
  if (!args || typeof args !== 'object' || args.receivedAt === undefined) return args;
  if (patched(REQUEST_INSTANTS_PATCH)) return args;
  const { receivedAt: _receivedAt, recordedByKeyId: _recordedBy, ...rest } = args as T & RecordResponseInput;
  return rest as unknown as T;
}
