import type { LadderStep, PerSeverity, PinnedSla, Severity } from '../../contracts/src/incident';
import { parseDuration } from './duration';
import { Policy } from './policy';
import { LadderStepPolicy, SEVERITIES } from './schema';

function perSeverity<T>(value: (severity: Severity) => T): PerSeverity<T> {
  return Object.fromEntries(SEVERITIES.map((s) => [`sev${s}`, value(s)])) as PerSeverity<T>;
}

function ladderStep(step: LadderStepPolicy): LadderStep {
  return {
    id: step.id,
    event: step.event,
    notify: [...step.notify],
    at:
      'percentOfTarget' in step.at
        ? { percentOfTarget: step.at.percentOfTarget }
        : { afterBreachMs: parseDuration(step.at.afterBreach)! },
  };
}

/**
 * The SLA snapshot an incident keeps for its life (rule 6): targets, coverage, ladders (overrides
 * resolved), critical-open flags and the center's calendar of the policy in force at entry.
 * Throws on an unknown plan or support center (the API validates both before).
 */
export function pinSla(policy: Policy, planId: string, supportCenter: string): PinnedSla {
  const plan = policy.plan(planId);
  if (!plan) throw new Error(`unknown plan ${planId}`);
  const center = policy.center(supportCenter);
  if (!center) throw new Error(`unknown support center ${supportCenter}`);
  const { criticalOpen } = policy.document.escalation;
  return {
    planId,
    planName: plan.name,
    supportCenter,
    zone: center.calendar.zone,
    policyVersion: policy.version,
    targets: perSeverity((s) => policy.targetMs(planId, s)),
    coverage: perSeverity((s) => policy.coverage(planId, s)),
    ladders: perSeverity((s) => policy.ladder(planId, s).map(ladderStep)),
    criticalOpen: perSeverity((s) => policy.isCriticalOpen(planId, s)),
    criticalOpenStep: { event: criticalOpen.event, notify: [...criticalOpen.notify] },
    calendar: structuredClone(center.calendar),
  };
}
