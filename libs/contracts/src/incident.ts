import { defineQuery } from '@temporalio/workflow';

export type Channel = 'portal' | 'email' | 'phone';
export type Severity = 1 | 2 | 3 | 4;
export type Priority = 1 | 2 | 3 | 4;
export type IncidentState = 'pending' | 'met' | 'breached' | 'resolved';
export type CoverageKind = '24x7' | 'business-hours';

/** What a support client reports when it opens an incident (validated by the API). */
export interface IncidentIntake {
  incidentId: string;
  accountId: string;
  contactId: string;
  severity: Severity;
  priority: Priority;
  channel: Channel;
  product: string;
  productVersion: string;
  summary: string;
  description: string;
  environment?: string;
  /** ISO instant the incident entered the ticketing system; the IHR clock starts here. */
  enteredAt: string;
  externalRef?: string;
}

/** Taken at entry and kept for the incident's life (rule 6): later policy or plan changes do not retarget it. */
export interface PinnedSla {
  planId: string;
  supportCenter: string;
  zone: string;
  policyVersion: string;
}

export interface IncidentWorkflowInput {
  intake: IncidentIntake;
  pinned: PinnedSla;
}

/** The IHR clock as planned by the `planIhrClock` activity: absolute instants only. */
export interface IhrClock {
  coverage: CoverageKind;
  targetMs: number;
  dueAt: string;
  /** "IHR due Mon 10:00 Europe/Helsinki" for UI summaries. */
  dueLabel: string;
}

export interface IncidentStatus {
  incidentId: string;
  state: IncidentState;
  accountId: string;
  planId: string;
  supportCenter: string;
  policyVersion: string;
  severity: Severity;
  priority: Priority;
  enteredAt: string;
  ihr: IhrClock | null;
}

/** Small, stable memo so reads still answer from `describe()` when no worker is up. */
export interface IncidentMemo {
  intakeHash: string;
  summary: string;
  enteredAt: string;
}

export const incidentStatusQuery = defineQuery<IncidentStatus>('status');
