import { makeContinueAsNewFunc, workflowInfo } from '@temporalio/workflow';
import { IncidentCarried, IncidentStatus, IncidentWorkflowInput } from '../../libs/contracts/src/incident';

/**
 * Hands the incident over to a fresh run (continue-as-new, patch `bounded-history`): the same workflow
 * ID, memo and search attributes, the case's state carried in the input; the intake clock and the
 * previous carry stay behind.
 */
export async function continueIncident(input: IncidentWorkflowInput, carried: IncidentCarried): Promise<IncidentStatus> {
  const info = workflowInfo();
  const { initialClock: _initialClock, continued: _previous, ...rest } = input;
  const continueRun = makeContinueAsNewFunc<(next: IncidentWorkflowInput) => Promise<IncidentStatus>>({
    memo: info.memo,
    typedSearchAttributes: info.typedSearchAttributes,
  });
  return continueRun({ ...rest, continued: carried });
}
