import { WorkflowExecutionInfo } from '@temporalio/client';
import { IncidentMemo, IncidentState, SA } from '../../../../libs/contracts/src';

/** What lists, reports and degraded reads show of an incident: search attributes plus the small memo. */
export interface IncidentSummary {
  incidentId: string;
  accountId: string;
  planId: string;
  supportCenter: string;
  severity: number;
  priority: number;
  state: IncidentState;
  ihrDueAt: string | null;
  dueLabel: string | null;
  summary: string;
  enteredAt: string;
  /** true while the workflow runs; a resolved incident's workflow has completed. */
  open: boolean;
}

/** Memo fields a summary does not read: lists leave them undecoded (the whole status is most of the memo). */
export const UNSUMMARIZED_MEMO: ReadonlyArray<keyof IncidentMemo> = ['status'];

type ExecutionView = Pick<WorkflowExecutionInfo, 'workflowId' | 'memo' | 'typedSearchAttributes' | 'status'>;

export function incidentSummary(info: ExecutionView): IncidentSummary {
  const sa = info.typedSearchAttributes;
  const memo = (info.memo ?? {}) as Partial<IncidentMemo>;
  const due = sa.get(SA.ihrDueAt);
  return {
    incidentId: info.workflowId.replace(/^incident\//, ''),
    accountId: sa.get(SA.accountId) ?? '',
    planId: sa.get(SA.plan) ?? memo.planId ?? '',
    supportCenter: sa.get(SA.supportCenter) ?? memo.supportCenter ?? '',
    severity: sa.get(SA.severity) ?? memo.severity ?? 0,
    priority: sa.get(SA.priority) ?? memo.priority ?? 0,
    state: (sa.get(SA.state) as IncidentState | undefined) ?? memo.state ?? 'pending',
    ihrDueAt: due ? due.toISOString() : (memo.dueAt ?? null),
    dueLabel: memo.dueLabel ?? null,
    summary: memo.summary ?? '',
    enteredAt: memo.enteredAt ?? '',
    open: info.status.name === 'RUNNING',
  };
}
