/** Names shared by the API, the worker and the workflows. */
export const TASK_QUEUE = 'sla';

export const incidentWorkflowId = (incidentId: string): string => `incident/${incidentId}`;
export const accountWorkflowId = (accountId: string): string => `account/${accountId}`;
export const healthCheckWorkflowId = (accountId: string, contractYear: number): string =>
  `health-check/${accountId}/${contractYear}`;
export const healthCheckScheduleId = (accountId: string): string => `health-checks/${accountId}`;

/** Identifiers end up in workflow IDs and URLs: keep them URL- and UI-friendly. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
