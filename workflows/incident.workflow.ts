// Deterministic workflow code only: no I/O, no calendar math (activities plan the clock).
import { condition, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { ClockActivities } from '../activities/clock.activities';
import { IncidentStatus, IncidentWorkflowInput, incidentStatusQuery } from '../libs/contracts/src/incident';
import { SA } from '../libs/contracts/src/search-attributes';

const clock = proxyActivities<ClockActivities>({
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 10 },
});

/**
 * One workflow per incident (`incident/<incidentId>`): plans the IHR clock, publishes it through
 * search attributes and the status query, then waits for the due instant.
 */
export async function incidentWorkflow(input: IncidentWorkflowInput): Promise<IncidentStatus> {
  const { intake, pinned } = input;
  const status: IncidentStatus = {
    incidentId: intake.incidentId,
    state: 'pending',
    accountId: intake.accountId,
    planId: pinned.planId,
    supportCenter: pinned.supportCenter,
    policyVersion: pinned.policyVersion,
    severity: intake.severity,
    priority: intake.priority,
    enteredAt: intake.enteredAt,
    ihr: null,
  };
  setHandler(incidentStatusQuery, () => status);

  setCurrentDetails('planning the IHR clock');
  const ihr = await clock.planIhrClock.executeWithOptions(
    { startToCloseTimeout: '30s', summary: `plan IHR clock: ${pinned.planId} Sev ${intake.severity}` },
    [{ planId: pinned.planId, supportCenter: pinned.supportCenter, severity: intake.severity, enteredAt: intake.enteredAt }],
  );
  status.ihr = ihr;
  upsertSearchAttributes([
    { key: SA.state, value: 'pending' },
    { key: SA.ihrDueAt, value: new Date(ihr.dueAt) },
  ]);

  setCurrentDetails(`waiting for IHR, ${ihr.dueLabel}`);
  const remainingMs = Date.parse(ihr.dueAt) - Date.now();
  if (remainingMs > 0) {
    await condition(() => false, remainingMs, { summary: ihr.dueLabel });
  }
  status.state = 'breached';
  upsertSearchAttributes([{ key: SA.state, value: 'breached' }]);
  setCurrentDetails(`IHR breached (was ${ihr.dueLabel})`);
  return status;
}
