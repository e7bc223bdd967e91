// Entry point of the workflow bundle: every workflow type the worker registers.
export { incidentWorkflow } from './incident.workflow';
export { accountWorkflow } from './account.workflow';
