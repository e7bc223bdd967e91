// Entry point of the workflow bundle: every workflow type the worker registers.
export { incidentWorkflow } from './incident/incident.workflow';
export { accountWorkflow } from './account.workflow';
export { healthCheckWorkflow } from './health-check/health-check.workflow';
export { healthCheckStarterWorkflow } from './health-check/health-check-starter.workflow';
