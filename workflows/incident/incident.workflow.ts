// Deterministic workflow code only: no I/O, no calendar math (activities plan the clock). The rules live
// in IncidentCase; this file wires handlers and the timer to it, in the order the recorded histories expect.
import { allHandlersFinished, condition, setCurrentDetails, setHandler } from '@temporalio/workflow';
import {
  IncidentStatus,
  IncidentWorkflowInput,
  incidentStatusQuery,
  incidentTimelineQuery,
  changePriorityUpdate,
  PriorityChangedInput,
  priorityChangedSignal,
  reclassifyUpdate,
  recordResponseUpdate,
  resolveUpdate,
} from '../../libs/contracts/src/incident';
import { historyFullCheck } from '../common/history-limit';
import { oneAtATime } from '../common/one-at-a-time';
import { ClockPlanning } from './clock';
import { handOver } from './continuation';
import { StepDeliveries } from './deliveries';
import { IncidentCase } from './incident-case';
import { incidentMetrics } from './metrics';
import { StatusPublisher } from './publisher';
import { fromRequest } from './request-instants';

/**
 * One workflow per incident (`incident/<incidentId>`): takes the IHR clock the API planned at intake (or
 * plans it in a local activity), fires the escalation ladder at its instants (one notification per
 * event: a local first attempt, a regular activity as fallback), records responses,
 * reclassifications and priority changes, and completes when the incident is resolved.
 */
export async function incidentWorkflow(input: IncidentWorkflowInput): Promise<IncidentStatus> {
  const { intake } = input;
  const incident = new IncidentCase(input, incidentMetrics);
  // In this order: their patched() calls (status-in-memo, then notify-channels) are the run's first commands.
  const publisher = new StatusPublisher(incident);
  const deliveries = new StepDeliveries(incident, input, publisher.countLocal);
  const clockPlanning = new ClockPlanning(input, publisher.countLocal);
  /** Set by handlers when the main loop must re-plan its next wake-up. */
  let wake = false;
  const serialized = oneAtATime();

  // ---- handlers (registered before the first await so early updates and queries find them)
  setHandler(incidentStatusQuery, () => incident.snapshot());
  setHandler(incidentTimelineQuery, (request) => incident.timelinePage(request));

  setHandler(
    recordResponseUpdate,
    (response) =>
      serialized(async () => {
        await condition(() => incident.clock !== undefined);
        const recorded = incident.recordResponse(Date.now(), fromRequest(response));
        if (recorded.ihr) {
          wake = true;
          publisher.publish();
        }
        const businessTimeTakenMs = await clockPlanning.measure(incident.severity, recorded.respondedAt, recorded.ihr);
        return incident.responseMeasured(recorded, businessTimeTakenMs);
      }),
    // Validators issue no commands (no patch check here) and do not run on replay.
    { validator: (response) => incident.checkResponse(Date.now(), response) },
  );

  setHandler(
    reclassifyUpdate,
    (change) => {
      // Validators must not change state (they do not run on replay): note the request here.
      incident.reclassifyRequested(change);
      return serialized(async () => {
        await condition(() => incident.clock !== undefined);
        const next = await clockPlanning.plan(change.severity, incident.clock!.generation + 1);
        incident.reclassify(Date.now(), fromRequest(change), next);
        publisher.publish();
        deliveries.fireCriticalOpenIfDue(Date.now());
        wake = true;
        return next;
      });
    },
    { validator: (change) => incident.checkReclassify(change) },
  );

  setHandler(
    resolveUpdate,
    (resolution) => {
      const result = incident.resolve(Date.now(), fromRequest(resolution));
      publisher.publish();
      return result;
    },
    { validator: (resolution) => incident.checkResolve(resolution) },
  );

  const changePriority = (change: PriorityChangedInput) => {
    const changed = incident.changePriority(Date.now(), change);
    if (changed) publisher.publish();
    return { priority: change.priority, changed };
  };
  setHandler(priorityChangedSignal, (change) => void changePriority(change));
  setHandler(changePriorityUpdate, changePriority, { validator: (change) => incident.checkPriority(change) });

  publisher.keepStatusCurrent();

  // ---- the clock
  const { continued } = input;
  if (continued && publisher.boundedHistory) {
    // Continued as new: the previous run's state, its clock's instants and its memo as they were.
    incident.restore(continued);
    publisher.continued();
  } else {
    incident.open(Date.now());
    let first = input.initialClock;
    if (first) {
      publisher.startedWith(input);
    } else {
      setCurrentDetails('planning the IHR clock');
      first = await clockPlanning.plan(intake.severity, 0);
    }
    incident.applyClock(Date.now(), first);
    publisher.publish();
    deliveries.fireCriticalOpenIfDue(Date.parse(intake.enteredAt));
  }

  const historyFull = historyFullCheck(input.historyLimits, publisher.boundedHistory ? 'bounded' : 'never');

  while (!incident.isResolved) {
    const now = Date.now();
    if (incident.breachIfDue(now)) publisher.publish();
    for (const { step, atMs } of incident.stepsDue(now)) deliveries.fire(step, atMs);
    if (historyFull()) {
      await handOver(input, incident, deliveries, publisher);
      break;
    }
    const next = incident.nextWakeUp(now);
    setCurrentDetails(incident.stage(next));
    wake = false;
    if (next) {
      const summary = `${next.event} at ${next.label}`;
      await condition(() => incident.isResolved || wake || historyFull(), next.ms - now, { summary });
    } else {
      await condition(() => incident.isResolved || wake || historyFull());
    }
  }

  setCurrentDetails(incident.stage(undefined));
  await deliveries.settled();
  await condition(allHandlersFinished);
  // Before completing: nothing may follow the completion command.
  publisher.publishNow();
  return incident.snapshot();
}
