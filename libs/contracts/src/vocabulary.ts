/**
 * The domain's closed vocabularies, each defined once: the policy schema, business time, the contracts,
 * the workflows and the API's zod schemas derive their enums and types from these tuples.
 *
 * No imports, on purpose: business time and the workflow bundle load this file directly
 * (`contracts/src/vocabulary`), without the rest of the contracts.
 */

/** Incident severity: 1 (critical) to 4 (low). */
export const SEVERITIES = [1, 2, 3, 4] as const;
export type Severity = (typeof SEVERITIES)[number];

/** How a customer reports an incident. */
export const CHANNELS = ['portal', 'email', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Roles every support center fills (people directory `centers.<id>.<role>`). */
export const CENTER_ROLES = [
  'supportQueue',
  'supportLead',
  'supportManager',
  'supportDirector',
  'dutyManager',
  'customerSuccess',
] as const;
export type CenterRole = (typeof CENTER_ROLES)[number];

/** Who a ladder step notifies: a center role, or `tam`, the account's Technical Account Manager. */
export const ROLES = [...CENTER_ROLES, 'tam'] as const;
export type Role = (typeof ROLES)[number];

/** Days of a calendar's weekly hours, Monday first (the index is business time's `weekdayIndex`). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Workflow type names: the exported function names in workflows/ (the worker registers them by name),
 * used to start workflows and in visibility queries (`WorkflowType = "incidentWorkflow"`).
 */
export const WORKFLOW_TYPES = {
  incident: 'incidentWorkflow',
  account: 'accountWorkflow',
  healthCheck: 'healthCheckWorkflow',
  healthCheckStarter: 'healthCheckStarterWorkflow',
} as const;
