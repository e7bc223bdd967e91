import { Calendar } from '../../business-time/src';
import { parseDuration } from './duration';
import { Coverage, LadderStepPolicy, PlanPolicy, PolicyDocument, Severity, SupportCenterPolicy } from './schema';

const sevKey = (severity: Severity) => `sev${severity}` as const;

/** A validated policy with its content version and compiled calendars. */
export class Policy {
  constructor(
    readonly document: PolicyDocument,
    /** Content hash: incidents pin it at entry, `GET /v1/plans` shows it. */
    readonly version: string,
    private readonly calendars: ReadonlyMap<string, Calendar>,
  ) {}

  planIds(): string[] {
    return Object.keys(this.document.plans);
  }

  centerIds(): string[] {
    return Object.keys(this.document.supportCenters);
  }

  plan(planId: string): PlanPolicy | undefined {
    return Object.hasOwn(this.document.plans, planId) ? this.document.plans[planId] : undefined;
  }

  center(centerId: string): SupportCenterPolicy | undefined {
    return Object.hasOwn(this.document.supportCenters, centerId) ? this.document.supportCenters[centerId] : undefined;
  }

  calendar(centerId: string): Calendar {
    const calendar = this.calendars.get(centerId);
    if (!calendar) throw new Error(`unknown support center ${centerId}`);
    return calendar;
  }

  private requirePlan(planId: string): PlanPolicy {
    const plan = this.plan(planId);
    if (!plan) throw new Error(`unknown plan ${planId}`);
    return plan;
  }

  targetMs(planId: string, severity: Severity): number {
    return parseDuration(this.requirePlan(planId).targets[sevKey(severity)])!;
  }

  coverage(planId: string, severity: Severity): Coverage {
    return this.requirePlan(planId).coverage[sevKey(severity)];
  }

  /** The escalation ladder for a plan and severity: the last matching override wins, steps filtered by severity. */
  ladder(planId: string, severity: Severity): LadderStepPolicy[] {
    const { ladder, overrides } = this.document.escalation;
    const matching = overrides.filter(
      (o) => (!o.plans || o.plans.includes(planId)) && (!o.severities || o.severities.includes(severity)),
    );
    const steps = matching.length > 0 ? matching[matching.length - 1].ladder : ladder;
    return steps.filter((step) => !step.severities || step.severities.includes(severity));
  }

  /** Whether opening this incident fires the critical-open event (Sev 1 on SPE/SP1 by default). */
  isCriticalOpen(planId: string, severity: Severity): boolean {
    const { plans, severities } = this.document.escalation.criticalOpen;
    return plans.includes(planId) && severities.includes(severity);
  }

  recommendedChannels(severity: Severity) {
    return this.document.severities[sevKey(severity)].recommendedChannels;
  }
}
