import { WORKFLOW_TYPES } from '../../../../libs/contracts/src';
// Type-only: the API never loads workflow code (it runs in the worker's sandbox, and @temporalio/workflow
// is not meant to run in the API's process). The types let `client.workflow.start<IncidentWorkflow>(
// WORKFLOW_TYPES.incident, ...)` check the arguments and the result as passing the function itself would.
import type * as workflows from '../../../../workflows';

export type IncidentWorkflow = typeof workflows.incidentWorkflow;
export type AccountWorkflow = typeof workflows.accountWorkflow;

// Every name in WORKFLOW_TYPES is a workflow the worker registers (workflows/index.ts): a renamed
// workflow function fails to compile here instead of failing to start at run time.
WORKFLOW_TYPES satisfies Record<string, keyof typeof workflows>;
