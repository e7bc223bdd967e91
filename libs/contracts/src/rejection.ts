import { ApplicationFailure } from '@temporalio/common';

/** Failure type a workflow validator throws to refuse a command; the API turns it into problem+json. */
export const REJECTION = 'SlaRejection';

export interface RejectionDetails {
  /** HTTP status the API answers with (404 missing, 409 conflict with state, 422 rule). */
  status: 404 | 409 | 422;
  field: string;
  rule: string;
  message: string;
}

/** Workflow-safe: validators throw this to refuse an update with a reason a client can act on. */
export function rejection(
  status: RejectionDetails['status'],
  field: string,
  rule: string,
  message: string,
): ApplicationFailure {
  const details: RejectionDetails = { status, field, rule, message };
  return ApplicationFailure.create({ type: REJECTION, message, nonRetryable: true, details: [details] });
}
