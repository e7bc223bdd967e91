// Entity workflow `account/<accountId>`: Temporal is the system of record for accounts.
// Deterministic: validators check the limits the API read from the policy and passed in.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  AccountChange,
  AccountChangeSet,
  AccountMemo,
  AccountView,
  AccountWorkflowInput,
  accountChangesQuery,
  accountViewQuery,
  ChangeAccountCommand,
  changeAccountUpdate,
  Contact,
  RegisterContactCommand,
  registerContactUpdate,
  RemoveContactCommand,
  removeContactUpdate,
} from '../libs/contracts/src/account';
import { rejection } from '../libs/contracts/src/rejection';
import { SA } from '../libs/contracts/src/search-attributes';
import type { HealthCheckActivities } from '../activities/health-check.activities';
import { historyFullCheck } from './common/history-limit';

/** Account fields that move the health-check schedule or the year's offer (plan, center, contract date, TAM). */
const SCHEDULE_FIELDS: ReadonlyArray<keyof AccountChangeSet> = ['plan', 'supportCenter', 'contractStart', 'tamId'];

/**
 * Runs started before patch ACCOUNT_CHANGES_PAGED keep the last 500 entries only (older ones were
 * dropped from the state); since the patch no entry is dropped.
 */
const MAX_CHANGES_KEPT = 500;

/**
 * Patch id: the change log is whole (never dropped, carried across continue-as-new) and read page by
 * page (`changes` query); the view query and the updates answer with the last ACCOUNT_CHANGES_SHOWN
 * entries and `changeCount`, so no history event grows with the log; a run continues as new past
 * the history limits too (workflows/common/history-limit.ts), not only when the server suggests it.
 */
export const ACCOUNT_CHANGES_PAGED_PATCH = 'account-changes-paged';
export const ACCOUNT_CHANGES_SHOWN = 20;
const CHANGES_PAGE_DEFAULT = 100;
const CHANGES_PAGE_MAX = 1000;

export async function accountWorkflow(input: AccountWorkflowInput): Promise<void> {
  const view: AccountView = input.view;
  const now = () => new Date(Date.now()).toISOString();
  // Health-check schedule sync (docs/health-checks.md): durable, retried until it succeeds, so the
  // schedule follows the account even if the API dies right after the change.
  const scheduleSync = patched('health-check-schedule-sync');
  const { syncHealthCheckSchedule } = proxyActivities<HealthCheckActivities>({ startToCloseTimeout: '1m' });
  // Each run syncs once at its start (creation, or after continue-as-new: idempotent).
  let syncWanted = scheduleSync;
  let syncRunning = false;
  const paged = patched(ACCOUNT_CHANGES_PAGED_PATCH);
  const historyFull = historyFullCheck(input.historyLimits, paged ? 'bounded' : 'suggested');
  /** The view as reads and update results show it: with the patch, the last entries and the total. */
  const shown = (): AccountView => {
    if (!paged) return view;
    const total = view.changes.length;
    return { ...view, changes: view.changes.slice(Math.max(0, total - ACCOUNT_CHANGES_SHOWN)), changeCount: total };
  };

  const publish = () => {
    const { account, contacts } = view;
    const memo: AccountMemo = { account, contacts, changeCount: view.changes.length };
    upsertMemo({ ...memo });
    upsertSearchAttributes([
      { key: SA.accountId, value: account.accountId },
      { key: SA.plan, value: account.plan },
      { key: SA.supportCenter, value: account.supportCenter },
      { key: SA.owner, value: account.tamId },
    ]);
    setCurrentDetails(
      `${account.name} (${account.type}) · plan ${account.plan} · center ${account.supportCenter} · ` +
        `${contacts.length} contact(s) · TAM ${account.tamId ?? 'none'}`,
    );
  };

  setHandler(accountViewQuery, () => shown());
  setHandler(accountChangesQuery, ({ pageSize, pageToken } = {}) => {
    const size = Math.min(Math.max(1, Math.floor(pageSize ?? CHANGES_PAGE_DEFAULT)), CHANGES_PAGE_MAX);
    const from = pageToken ? Number.parseInt(pageToken, 10) : 0;
    const start = Number.isSafeInteger(from) && from > 0 ? Math.min(from, view.changes.length) : 0;
    const end = Math.min(start + size, view.changes.length);
    const next = end < view.changes.length ? { nextPageToken: String(end) } : {};
    return { entries: view.changes.slice(start, end), total: view.changes.length, ...next };
  });

  setHandler(
    changeAccountUpdate,
    (command: ChangeAccountCommand): AccountView => {
      const entries = changedEntries(view, command.changes);
      const at = now();
      for (const [field, to] of entries) {
        const change: AccountChange = { at, actor: command.actor, field, from: view.account[field], to };
        view.changes.push(change);
        (view.account as unknown as Record<string, unknown>)[field] = to;
      }
      if (!paged) view.changes.splice(0, Math.max(0, view.changes.length - MAX_CHANGES_KEPT));
      if (entries.some(([field]) => SCHEDULE_FIELDS.includes(field))) syncWanted = scheduleSync;
      publish();
      return shown();
    },
    {
      validator: (command: ChangeAccountCommand) => {
        if (changedEntries(view, command.changes).length === 0) {
          throw rejection(409, 'body', 'noChange', 'the request changes nothing: every field already has that value');
        }
        const plan = command.changes.plan;
        if (plan && plan !== view.account.plan && view.contacts.length > command.maxContacts) {
          const excess = view.contacts.length - command.maxContacts;
          throw rejection(
            409,
            'plan',
            'contactLimit',
            `plan ${plan} allows ${command.maxContacts} contacts but the account has ${view.contacts.length}: ` +
              `remove ${excess} contact(s) first`,
          );
        }
      },
    },
  );

  setHandler(
    registerContactUpdate,
    (command: RegisterContactCommand): Contact => {
      const contact: Contact = { ...command.contact, registeredAt: now(), registeredBy: command.actor };
      view.contacts.push(contact);
      view.changes.push({
        at: contact.registeredAt,
        actor: command.actor,
        field: 'contacts',
        from: null,
        to: contact.contactId,
      });
      publish();
      return contact;
    },
    {
      validator: (command: RegisterContactCommand) => {
        const { contact } = command;
        if (command.planId !== view.account.plan) {
          throw rejection(409, 'plan', 'planChanged', `the account's plan changed to ${view.account.plan}; retry`);
        }
        if (view.contacts.length >= command.maxContacts) {
          throw rejection(
            409,
            'contacts',
            'contactLimit',
            `plan ${view.account.plan} allows at most ${command.maxContacts} customer contacts; the account has ${view.contacts.length}`,
          );
        }
        if (view.contacts.some((c) => c.contactId === contact.contactId)) {
          throw rejection(409, 'contactId', 'unique', `contact ${contact.contactId} is already registered`);
        }
        if (view.contacts.some((c) => c.email.toLowerCase() === contact.email.toLowerCase())) {
          throw rejection(
            409,
            'email',
            'unique',
            `a contact with email ${contact.email} is already registered on this account`,
          );
        }
      },
    },
  );

  setHandler(
    removeContactUpdate,
    (command: RemoveContactCommand): AccountView => {
      if (!view.contacts.some((c) => c.contactId === command.contactId)) return shown(); // a retried removal
      view.contacts = view.contacts.filter((c) => c.contactId !== command.contactId);
      view.changes.push({ at: now(), actor: command.actor, field: 'contacts', from: command.contactId, to: null });
      publish();
      return shown();
    },
    {
      validator: (command: RemoveContactCommand) => {
        const removedBefore = view.changes.some((c) => c.field === 'contacts' && c.from === command.contactId);
        if (!removedBefore && !view.contacts.some((c) => c.contactId === command.contactId)) {
          throw rejection(
            404,
            'contactId',
            'exists',
            `no contact ${command.contactId} on account ${view.account.accountId}`,
          );
        }
      },
    },
  );

  publish();
  // Accounts live for years: hand over to a fresh run when the history grows long.
  if (scheduleSync) {
    // One sync at a time, always with the record as it is when the sync starts.
    while (!historyFull()) {
      await condition(() => syncWanted || historyFull());
      if (!syncWanted) break;
      syncWanted = false;
      syncRunning = true;
      await syncHealthCheckSchedule({ account: { ...view.account } });
      syncRunning = false;
    }
  }
  await condition(historyFull);
  await condition(() => allHandlersFinished() && !syncRunning);
  // The whole view, every change-log entry included (with the patch none was dropped).
  await continueAsNew<typeof accountWorkflow>(paged ? { ...input, view } : { view });
}

/** The fields of a change set that differ from the current record. */
function changedEntries(view: AccountView, changes: AccountChangeSet): Array<[keyof AccountChangeSet, unknown]> {
  return (Object.entries(changes) as Array<[keyof AccountChangeSet, unknown]>).filter(
    ([field, value]) => value !== undefined && view.account[field] !== value,
  );
}
