import { workflowInfo } from '@temporalio/workflow';

/**
 * A long-lived run continues as new once its history passes either limit (or the server suggests it),
 * so a workflow changed many times never nears Temporal's hard limits (50 MB / 51,200 events terminate
 * it, and an incident's SLA clock with it; warnings from 10 MB / 10,240 events). Well below both: a
 * run's replay stays quick. Tests lower them through the workflow input's `historyLimits`.
 */
export const CONTINUE_AS_NEW_AT_EVENTS = 4_000;
export const CONTINUE_AS_NEW_AT_BYTES = 4 * 1024 * 1024;

export interface HistoryLimits {
  events?: number;
  bytes?: number;
}

/**
 * When a run's history is full: `bounded` (the patch that carries state across runs is in force) at
 * either limit or the server's suggestion; otherwise as the run did before that patch, at the server's
 * suggestion (`suggested`) or never (`never`).
 */
export function historyFullCheck(override: HistoryLimits | undefined, mode: 'bounded' | 'suggested' | 'never') {
  const events = override?.events ?? CONTINUE_AS_NEW_AT_EVENTS;
  const bytes = override?.bytes ?? CONTINUE_AS_NEW_AT_BYTES;
  return (): boolean => {
    if (mode === 'never') return false;
    const info = workflowInfo();
    if (mode === 'suggested') return info.continueAsNewSuggested;
    return info.continueAsNewSuggested || info.historyLength > events || info.historySize > bytes;
  };
}
