import {
  allHandlersFinished,
  condition,
  makeContinueAsNewFunc,
  setCurrentDetails,
  workflowInfo,
} from '@temporalio/workflow';
import { IncidentStatus, IncidentWorkflowInput } from '../../libs/contracts/src/incident';
import { StepDeliveries } from './deliveries';
import { IncidentCase } from './incident-case';
import { StatusPublisher } from './publisher';

/**
 * Hands the incident over to a fresh run (continue-as-new, patch `bounded-history`), called once the
 * breach and the steps due now fired (at their instants): deliveries and handlers end in this run
 * (their results land in its state), then the case's state moves on in the next run's input, with the
 * same workflow ID, memo and search attributes. The intake clock and the previous carry stay behind.
 */
export async function handOver(
  input: IncidentWorkflowInput,
  incident: IncidentCase,
  deliveries: StepDeliveries,
  publisher: StatusPublisher,
): Promise<void> {
  setCurrentDetails('continuing as new');
  await deliveries.settled();
  await condition(allHandlersFinished);
  if (incident.isResolved) return;
  publisher.publishNow();
  const info = workflowInfo();
  const { initialClock: _initialClock, continued, ...rest } = input;
  const continueRun = makeContinueAsNewFunc<(next: IncidentWorkflowInput) => Promise<IncidentStatus>>({
    memo: info.memo,
    typedSearchAttributes: info.typedSearchAttributes,
  });
  await continueRun({ ...rest, continued: incident.carry((continued?.runs ?? 0) + 1) });
}
