import { defineQuery, defineUpdate } from '@temporalio/workflow';

export type AccountType = 'customer' | 'partner';

export interface AccountRecord {
  accountId: string;
  name: string;
  type: AccountType;
  plan: string;
  supportCenter: string;
  /** YYYY-MM-DD: the contract year runs from this date's anniversary. */
  contractStart: string;
  tamId: string | null;
  /** The partner account acting for this customer, if any. */
  partnerId: string | null;
  createdAt: string;
  createdBy: string;
}

export interface Contact {
  contactId: string;
  name: string;
  email: string;
  phone: string | null;
  registeredAt: string;
  registeredBy: string;
}

/** Fields an account change may set (PATCH /v1/accounts/:id). */
export interface AccountChangeSet {
  name?: string;
  plan?: string;
  supportCenter?: string;
  contractStart?: string;
  tamId?: string | null;
  partnerId?: string | null;
}

export interface AccountChange {
  at: string;
  actor: string;
  /** A record field, or `contacts` (from: removed contact id, to: added contact id). */
  field: keyof AccountChangeSet | 'contacts';
  from: unknown;
  to: unknown;
}

export interface AccountView {
  account: AccountRecord;
  contacts: Contact[];
  /** Every change after creation, oldest first, with who and when. */
  changes: AccountChange[];
  /**
   * Entries in the whole change log, where `changes` holds only the last ones (patch
   * `account-changes-paged`): the rest is read page by page (`changes` query, GET /v1/accounts/:id/changes).
   */
  changeCount?: number;
}

export interface AccountWorkflowInput {
  /** Present on the first run; a continued run carries the whole view. */
  view: AccountView;
  /** Optional override of when a run continues as new (tests force it; defaults in account.workflow.ts). */
  historyLimits?: { events?: number; bytes?: number };
}

export interface ChangeAccountCommand {
  changes: AccountChangeSet;
  actor: string;
  /** Max customer contacts of the plan after the change (the API reads it from the policy). */
  maxContacts: number;
}

export interface RegisterContactCommand {
  contact: { contactId: string; name: string; email: string; phone: string | null };
  actor: string;
  /** The current plan's limit as the API read it; the workflow rejects if the plan moved meanwhile. */
  planId: string;
  maxContacts: number;
}

export interface RemoveContactCommand {
  contactId: string;
  actor: string;
}

/** Memo of an account workflow: the whole view minus the change log, so reads work without a worker. */
export type AccountMemo = Omit<AccountView, 'changes'> & { changeCount: number };

export const accountViewQuery = defineQuery<AccountView>('account');
/** A page of the change log, oldest first: `pageToken` is where the previous page ended. */
export interface AccountChangesPage {
  entries: AccountChange[];
  total: number;
  /** Absent on the last page. */
  nextPageToken?: string;
}

export interface AccountChangesRequest {
  pageSize?: number;
  pageToken?: string;
}

export const accountChangesQuery = defineQuery<AccountChangesPage, [AccountChangesRequest]>('changes');
export const changeAccountUpdate = defineUpdate<AccountView, [ChangeAccountCommand]>('changeAccount');
export const registerContactUpdate = defineUpdate<Contact, [RegisterContactCommand]>('registerContact');
export const removeContactUpdate = defineUpdate<AccountView, [RemoveContactCommand]>('removeContact');
