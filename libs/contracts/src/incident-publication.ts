import type { SearchAttributePair } from '@temporalio/common';
import type { IncidentMemo, IncidentState, IncidentWorkflowInput, LateResponse, Priority, Severity } from './incident';
import { SA } from './search-attributes';

/** What an incident shows without its worker: the fields of its memo and search attributes that change. */
export interface IncidentVisibleState {
  summary: string;
  enteredAt: string;
  planId: string;
  supportCenter: string;
  state: IncidentState;
  severity: Severity;
  priority: Priority;
  dueAt?: string;
  dueLabel?: string;
  /** Responses recorded late (bounded) and their count; absent while there are none. */
  lateResponses?: LateResponse[];
  lateResponseCount?: number;
}

/** The value of SlaLateResponse on an incident with a late-recorded response. */
export const LATE_RESPONSE_FLAG = 'late';

export interface IncidentPublication {
  /** Merged into the memo (the API's `intakeHash` stays). */
  memo: Omit<IncidentMemo, 'intakeHash'>;
  /** The search attributes that change over the incident's life (account, plan and center are set at start). */
  attributes: SearchAttributePair[];
  /** Equal keys mean nothing to upsert (each upsert is a history event and a visibility write). */
  key: string;
}

/**
 * One definition of the published state for both writers: the API sets it in the start request
 * (with the first clock it planned) and the workflow upserts it when it changes, so the two agree
 * and the workflow's first task has nothing to re-publish.
 */
export function incidentPublication(view: IncidentVisibleState): IncidentPublication {
  const memo: IncidentPublication['memo'] = {
    summary: view.summary,
    enteredAt: view.enteredAt,
    state: view.state,
    dueAt: view.dueAt,
    dueLabel: view.dueLabel,
    severity: view.severity,
    priority: view.priority,
    planId: view.planId,
    supportCenter: view.supportCenter,
    // Only when there is one: incidents without late responses publish exactly what they did before.
    ...(view.lateResponseCount ? { lateResponses: view.lateResponses, lateResponseCount: view.lateResponseCount } : {}),
  };
  const attributes: SearchAttributePair[] = [
    { key: SA.state, value: view.state },
    { key: SA.severity, value: view.severity },
    { key: SA.priority, value: view.priority },
    ...(view.dueAt ? [{ key: SA.ihrDueAt, value: new Date(view.dueAt) }] : []),
    ...(view.lateResponseCount ? [{ key: SA.lateResponse, value: LATE_RESPONSE_FLAG }] : []),
  ];
  return { memo, attributes, key: JSON.stringify(memo) };
}

/** What the start request publishes: the incident pending, with the clock planned at intake if any. */
export function publicationAtIntake({ intake, pinned, initialClock }: IncidentWorkflowInput): IncidentPublication {
  return incidentPublication({
    summary: intake.summary,
    enteredAt: intake.enteredAt,
    planId: pinned.planId,
    supportCenter: pinned.supportCenter,
    state: 'pending',
    severity: intake.severity,
    priority: intake.priority,
    dueAt: initialClock?.dueAt,
    dueLabel: initialClock?.dueLabel,
  });
}
