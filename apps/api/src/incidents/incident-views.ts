import { ApiRole } from '../../../../libs/auth/src';
import { publicActor } from '../auth/actors';
import { IncidentStatus, TimelineEvent, TimelineType } from '../../../../libs/contracts/src';
import type { CustomerIncidentStatus } from './incident.schemas';

/**
 * What `GET /v1/incidents/:id` answers for each role (issue 14, item 12: need to know). The vendor's
 * staff see the whole status; a customer key sees its incident without the vendor's internals:
 * recipient addresses, webhook subscriber ids, key ids, webhook ids and delivery attempts.
 *
 * The customer projection is an allow-list: it builds a new object from the fields it names, so a field
 * added to the status later (say a `recordedBy` key id) stays out of the customer's answer until it is
 * named here.
 */

/** The full answer: the status as the workflow keeps it, plus the business time left now. */
export type FullIncident = IncidentStatus & { remainingBusinessMs: number | null };

export type IncidentView = FullIncident | CustomerIncidentStatus;

/**
 * Timeline details a customer sees, by event type. Delivery events (`step.delivered`,
 * `step.delivery_failed`, `step.undeliverable`) are left out: they are about the vendor's channels.
 */
const CUSTOMER_DETAILS: Record<TimelineType, readonly string[] | null> = {
  opened: ['severity', 'priority', 'channel', 'planId'],
  'clock.planned': ['generation', 'severity', 'coverage', 'targetMs', 'dueAt'],
  'step.fired': ['step', 'event', 'at'],
  'step.delivered': null,
  'step.delivery_failed': null,
  'step.undeliverable': null,
  'ihr.breached': ['dueAt', 'breachedAt'],
  'response.recorded': ['kind', 'respondedAt', 'ihr'],
  'severity.changed': ['from', 'to', 'reason', 'dueAt'],
  'priority.changed': ['from', 'to'],
  resolved: ['state', 'summary'],
};

function customerEvent(event: TimelineEvent): TimelineEvent | undefined {
  const allowed = CUSTOMER_DETAILS[event.type];
  if (!allowed) return undefined;
  const details = Object.fromEntries(
    allowed.filter((k) => event.details[k] !== undefined).map((k) => [k, event.details[k]]),
  );
  return {
    at: event.at,
    type: event.type,
    ...(event.actor !== undefined ? { actor: publicActor(event.actor) } : {}),
    details,
  };
}

/** Admin keys: everything. */
export const adminView = (status: FullIncident): FullIncident => status;

/** Agent keys (support engineers): everything, delivery reports included, to act on an escalation. */
export const agentView = (status: FullIncident): FullIncident => status;

/** TAM keys: vendor staff too (they are notified by the ladder themselves): everything. */
export const tamView = (status: FullIncident): FullIncident => status;

/** Customer keys: the incident and its clock; no addresses, subscriber ids, key ids or delivery internals. */
export function customerView(status: FullIncident): CustomerIncidentStatus {
  const { ihr, outcome, resolution } = status;
  return {
    incidentId: status.incidentId,
    state: status.state,
    accountId: status.accountId,
    planId: status.planId,
    planName: status.planName,
    supportCenter: status.supportCenter,
    policyVersion: status.policyVersion,
    ...(status.calendar !== undefined ? { calendar: status.calendar } : {}),
    severity: status.severity,
    priority: status.priority,
    summary: status.summary,
    enteredAt: status.enteredAt,
    ihr: ihr && {
      generation: ihr.generation,
      severity: ihr.severity,
      coverage: ihr.coverage,
      targetMs: ihr.targetMs,
      dueAt: ihr.dueAt,
      dueLabel: ihr.dueLabel,
      steps: ihr.steps.map((s) => ({
        id: s.id,
        event: s.event,
        notify: s.notify,
        ...(s.at !== undefined ? { at: s.at } : {}),
        ...(s.atLabel !== undefined ? { atLabel: s.atLabel } : {}),
        ...(s.afterBreachMs !== undefined ? { afterBreachMs: s.afterBreachMs } : {}),
      })),
      explanation: ihr.explanation,
    },
    outcome: outcome && {
      outcome: outcome.outcome,
      kind: outcome.kind,
      responder: publicActor(outcome.responder),
      respondedAt: outcome.respondedAt,
      dueAt: outcome.dueAt,
      ...(outcome.businessTimeTakenMs !== undefined ? { businessTimeTakenMs: outcome.businessTimeTakenMs } : {}),
    },
    breachedAt: status.breachedAt,
    responses: status.responses.map((r) => ({
      kind: r.kind,
      responder: publicActor(r.responder),
      respondedAt: r.respondedAt,
      ihr: r.ihr,
    })),
    ladder: {
      fired: status.ladder.fired.map((s) => ({ id: s.id, event: s.event, at: s.at, firedAt: s.firedAt })),
      pending: status.ladder.pending.map((s) => ({
        id: s.id,
        event: s.event,
        ...(s.at !== undefined ? { at: s.at } : {}),
        ...(s.afterBreachMs !== undefined ? { afterBreachMs: s.afterBreachMs } : {}),
      })),
    },
    timeline: status.timeline.map(customerEvent).filter((e): e is TimelineEvent => e !== undefined),
    resolution: resolution && { at: resolution.at, summary: resolution.summary, actor: publicActor(resolution.actor) },
    remainingBusinessMs: status.remainingBusinessMs,
  };
}

/** The one place a role picks its projection; a new role does not compile until it has one. */
export const INCIDENT_VIEWS: Record<ApiRole, (status: FullIncident) => IncidentView> = {
  admin: adminView,
  agent: agentView,
  tam: tamView,
  customer: customerView,
};

export const incidentViewFor = (role: ApiRole): ((status: FullIncident) => IncidentView) => INCIDENT_VIEWS[role];

/** Timeline entries as a role sees them (the paged read): the customer's as in its view of the status. */
export function timelineViewFor(role: ApiRole): (entries: TimelineEvent[]) => TimelineEvent[] {
  if (role !== 'customer') return (entries) => entries;
  return (entries) => entries.map(customerEvent).filter((e): e is TimelineEvent => e !== undefined);
}
