// The action of the schedule `health-checks/<accountId>`. A schedule's action has fixed arguments
// and the server appends the nominal (scheduled) time to its workflow ID
// (`health-checks/acme-2027-03-01T07:00:00Z`), so the required ID `health-check/<accountId>/<year>`
// cannot be the action itself: this short workflow derives the scheduled time from its own ID and
// lets an activity start that contract year's workflow (REJECT_DUPLICATE: repeats are no-ops).
import { proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { HealthCheckActivities, StartHealthCheckYearResult } from '../../activities/health-check.activities';

const SCHEDULED_SUFFIX = /-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)$/;

/** The schedule's nominal time from the workflow ID, else the workflow's start (started by hand). */
export function scheduledTimeOf(workflowId: string, fallbackMs: number): string {
  const match = SCHEDULED_SUFFIX.exec(workflowId);
  return match ? new Date(Date.parse(match[1])).toISOString() : new Date(fallbackMs).toISOString();
}

export async function healthCheckStarterWorkflow(input: { accountId: string }): Promise<StartHealthCheckYearResult> {
  const { startHealthCheckYear } = proxyActivities<HealthCheckActivities>({
    startToCloseTimeout: '1m',
    retry: { maximumAttempts: 20 },
  });
  const scheduledAt = scheduledTimeOf(workflowInfo().workflowId, Date.now());
  setCurrentDetails(`Starting the contract year of ${input.accountId} that contains ${scheduledAt}`);
  const result = await startHealthCheckYear({ accountId: input.accountId, scheduledAt });
  setCurrentDetails(
    `${result.action}${result.workflowId ? ` ${result.workflowId}` : ''}${result.reason ? `: ${result.reason}` : ''}`,
  );
  return result;
}
