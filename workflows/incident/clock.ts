// The IHR clock's calendar math, run by the clock activities (workflow code stays deterministic).
import { proxyLocalActivities } from '@temporalio/workflow';
import type { ClockActivities } from '../../activities/clock.activities';
import type { IhrClock, IncidentWorkflowInput, Severity } from '../../libs/contracts/src/incident';
import { severityKey } from '../../libs/contracts/src/incident';
import type { LocalActivityCounter } from './publisher';

export class ClockPlanning {
  // Clock planning is pure CPU over the pinned calendar: a local activity keeps history small
  // (one marker, no extra workflow task) and still records the instants in history.
  private readonly activities = proxyLocalActivities<ClockActivities>({
    startToCloseTimeout: '30s',
    retry: { maximumAttempts: 10 },
  });

  constructor(
    private readonly input: IncidentWorkflowInput,
    private readonly countLocal: LocalActivityCounter,
  ) {}

  /** The clock of `severity`, counted from entry (generation: 0 at entry, +1 per reclassification). */
  plan(severity: Severity, generation: number): Promise<IhrClock> {
    const { intake, pinned } = this.input;
    const coverage = pinned.coverage[severityKey(severity)];
    const summary = `plan IHR clock: ${pinned.planId} Sev ${severity} (${coverage}, ${pinned.supportCenter})`;
    return this.countLocal(
      this.activities.planIhrClock.executeWithOptions({ summary }, [
        { pinned, severity, enteredAt: intake.enteredAt, generation },
      ]),
    );
  }

  /** Business time from entry to a response (`ihr`: the response is the IHR), under `severity`'s coverage. */
  measure(severity: Severity, respondedAt: string, ihr: boolean): Promise<number> {
    const { intake, pinned } = this.input;
    return this.countLocal(
      this.activities.measureBusinessTime.executeWithOptions(
        { summary: `business time to ${ihr ? 'IHR' : 'response'}` },
        [{ pinned, severity, from: intake.enteredAt, to: respondedAt }],
      ),
    );
  }
}
