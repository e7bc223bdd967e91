// SLA metrics emitted from the incident workflow through the worker's metric meter (exported with the
// Temporal runtime metrics on the worker's Prometheus endpoint). The SDK drops them during replay,
// so each is counted once.
import { metricMeter } from '@temporalio/workflow';
import type { IncidentMetrics } from './incident-case';

const ihrOutcomes = metricMeter.createCounter(
  'sla_ihr_outcomes',
  '1',
  'IHR outcomes (met, breached, resolved) by plan and severity',
);
const stepsFired = metricMeter.createCounter(
  'sla_ladder_steps_fired',
  '1',
  'Escalation ladder steps fired, by step and event',
);
const deliveriesFailed = metricMeter.createCounter(
  'sla_deliveries_failed',
  '1',
  'Notifications whose delivery failed for good',
);
const stepLateness = metricMeter.createHistogram(
  'sla_step_lateness',
  'int',
  'ms',
  'Workflow time between a step instant and its firing',
);

export const incidentMetrics: IncidentMetrics = {
  outcome(tags, outcome) {
    ihrOutcomes.add(1, { plan: tags.plan, severity: tags.severity, outcome });
  },
  stepFired(tags, step, event, latenessMs) {
    stepsFired.add(1, { plan: tags.plan, severity: tags.severity, step, event });
    stepLateness.record(Math.max(0, Math.round(latenessMs)), { step });
  },
  deliveryFailed(event) {
    deliveriesFailed.add(1, { event });
  },
};
