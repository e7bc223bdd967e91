import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  AccountChangeSet,
  AccountMemo,
  AccountRecord,
  AccountView,
  accountChangesQuery,
  AccountChangesPage,
  accountViewQuery,
  accountWorkflowId,
  changeAccountUpdate,
  Contact,
  registerContactUpdate,
  removeContactUpdate,
  SA,
  TASK_QUEUE,
  WORKFLOW_TYPES,
} from '../../../../libs/contracts/src';
import { AccountMemoCache, normalizeAccountMemo, readAccountMemo } from '../../../../libs/account-directory/src';
import { Principal } from '../../../../libs/auth/src';
import { DirectorySource, PEOPLE } from '../../../../libs/people/src';
import { POLICY, Policy } from '../../../../libs/policy/src';
import { AppConfig } from '../../../../libs/settings/src';
import { actorOf } from '../auth/actors';
import { FieldError, Problem } from '../common/problem';
import { withWorker } from '../common/temporal-calls';
import { AccountWorkflow } from '../common/workflow-types';
import { APP_CONFIG } from '../core/app-config';
import { commandIdentity, executeCommand } from '../common/update-id';
import { andQuery, listPage, literal, Page } from '../common/visibility';
import { TEMPORAL_CLIENT } from '../temporal.providers';
import { AccountChangesQuery, CreateAccountBody, PatchAccountBody, RegisterContactBody } from './account.schemas';

export type AccountResponse = AccountView & { degraded?: true };

@Injectable()
export class AccountsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(POLICY) private readonly policy: Policy,
    @Inject(PEOPLE) private readonly people: DirectorySource,
    private readonly cache: AccountMemoCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private handle(accountId: string) {
    return this.client.workflow.getHandle(accountWorkflowId(accountId));
  }

  /** Plan, center, TAM and partner rules that need the policy or other accounts (422). */
  private async checkRecord(
    record: Pick<AccountRecord, 'plan' | 'supportCenter' | 'tamId' | 'partnerId' | 'accountId'>,
    tamSet: boolean,
  ) {
    const errors: FieldError[] = [];
    const plan = this.policy.plan(record.plan);
    if (!plan)
      errors.push({
        field: 'plan',
        rule: 'known',
        message: `unknown plan ${record.plan}; known: ${this.policy.planIds().join(', ')}`,
      });
    if (!this.policy.center(record.supportCenter)) {
      errors.push({
        field: 'supportCenter',
        rule: 'known',
        message: `unknown support center ${record.supportCenter}; known: ${this.policy.centerIds().join(', ')}`,
      });
    }
    if (plan && record.tamId && !plan.features.tam) {
      errors.push({
        field: 'tamId',
        rule: 'planFeature',
        message: `plan ${record.plan} (${plan.name}) has no Technical Account Manager`,
      });
    }
    // Only a TAM this request sets is checked: an account keeps working if its TAM leaves the directory
    // (its notifications then name that TAM as unreached).
    if (tamSet && record.tamId && !this.people.current().tam(record.tamId)) {
      const known = this.people.current().tamIds();
      errors.push({
        field: 'tamId',
        rule: 'inDirectory',
        message: `TAM ${record.tamId} is not in the people directory; known: ${known.join(', ') || 'none'}`,
      });
    }
    if (record.partnerId) {
      const partner = record.partnerId === record.accountId ? undefined : await this.memoOrUndefined(record.partnerId);
      if (partner?.account.type !== 'partner') {
        errors.push({
          field: 'partnerId',
          rule: 'partnerAccount',
          message: `${record.partnerId} is not a partner account`,
        });
      }
    }
    if (errors.length > 0) throw Problem.unprocessable(errors);
  }

  async create(body: CreateAccountBody, principal: Principal): Promise<{ view: AccountResponse; created: boolean }> {
    const record: AccountRecord = {
      accountId: body.id,
      name: body.name,
      type: body.type,
      plan: body.plan,
      supportCenter: body.supportCenter,
      contractStart: body.contractStart,
      tamId: body.tamId ?? null,
      partnerId: body.partnerId ?? null,
      createdAt: new Date().toISOString(),
      createdBy: actorOf(principal),
    };
    await this.checkRecord(record, Boolean(body.tamId));
    const memo: AccountMemo = { account: record, contacts: [], changeCount: 0 };
    try {
      await this.client.workflow.start<AccountWorkflow>(WORKFLOW_TYPES.account, {
        taskQueue: TASK_QUEUE,
        workflowId: accountWorkflowId(record.accountId),
        args: [{ view: { account: record, contacts: [], changes: [] } }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { ...memo },
        typedSearchAttributes: new TypedSearchAttributes([
          { key: SA.accountId, value: record.accountId },
          { key: SA.plan, value: record.plan },
          { key: SA.supportCenter, value: record.supportCenter },
          ...(record.tamId ? [{ key: SA.owner, value: record.tamId }] : []),
        ]),
        staticSummary: `Account ${record.accountId} · ${record.name} (${record.type})`,
        staticDetails: `Created ${record.createdAt} by ${record.createdBy}; contract start ${record.contractStart}.`,
      });
      return { view: { account: record, contacts: [], changes: [] }, created: true };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    // A retried create with the same content is answered with the existing account.
    const existing = await this.memo(record.accountId);
    const same = (Object.keys(body) as Array<keyof CreateAccountBody>).every((k) => {
      const field = k === 'id' ? 'accountId' : k;
      return (
        (existing.account as unknown as Record<string, unknown>)[field] ===
        (record as unknown as Record<string, unknown>)[field]
      );
    });
    if (!same) {
      throw Problem.conflict(`Account ${record.accountId} already exists with other details.`, [
        { field: 'id', rule: 'unique', message: `account ${record.accountId} already exists` },
      ]);
    }
    return { view: await this.read(record.accountId), created: false };
  }

  /** The memo the workflow keeps current: answers without a worker. */
  async memo(accountId: string): Promise<AccountMemo> {
    const memo = await this.memoOrUndefined(accountId);
    if (!memo) throw Problem.notFound(`No account ${accountId}.`);
    return memo;
  }

  memoOrUndefined(accountId: string): Promise<AccountMemo | undefined> {
    return readAccountMemo(this.client, accountId);
  }

  /** The memo for intake's hot path: possibly a second or two old unless `fresh` (see AccountMemoCache). */
  cachedMemo(accountId: string, fresh = false): Promise<AccountMemo | undefined> {
    return this.cache.get(accountId, { fresh });
  }

  /** Runs an account write; afterwards this process's cached memo of the account is dropped. */
  private async write<T>(accountId: string, what: string, update: () => Promise<T>): Promise<T> {
    try {
      return await withWorker(this.client, this.config.API_WORKER_WAIT_MS, what, update, `No account ${accountId}.`);
    } finally {
      this.cache.invalidate(accountId);
    }
  }

  /**
   * A page of the whole change log (oldest first) from the workflow's `changes` query: the view shows the
   * last entries only (patch account-changes-paged). 503 when no worker answers in time.
   */
  async changes(accountId: string, query: AccountChangesQuery): Promise<AccountChangesPage> {
    await this.memo(accountId);
    const request = { pageSize: query.pageSize, ...(query.pageToken ? { pageToken: query.pageToken } : {}) };
    const changesQuery = () => this.handle(accountId).query(accountChangesQuery, request);
    return withWorker(this.client, this.config.API_QUERY_WAIT_MS, `changes of ${accountId}`, changesQuery);
  }

  /** The full view with the change log from the workflow; the memo (no change log) when no worker answers. */
  async read(accountId: string): Promise<AccountResponse> {
    const memo = await this.memo(accountId);
    try {
      return await this.client.connection.withDeadline(Date.now() + 3_000, () =>
        this.handle(accountId).query(accountViewQuery),
      );
    } catch {
      return { account: memo.account, contacts: memo.contacts, changes: [], degraded: true };
    }
  }

  async list(filter: {
    plan?: string;
    center?: string;
    tam?: string;
    type?: string;
    pageSize: number;
    pageToken?: string;
  }): Promise<Page<AccountMemo['account'] & { contacts: number }>> {
    const query = andQuery([
      `WorkflowType = ${literal(WORKFLOW_TYPES.account)}`,
      `ExecutionStatus = "Running"`,
      filter.plan !== undefined && `SlaPlan = ${literal(filter.plan)}`,
      filter.center !== undefined && `SlaSupportCenter = ${literal(filter.center)}`,
      filter.tam !== undefined && `SlaOwner = ${literal(filter.tam)}`,
    ]);
    const page = await listPage(this.client, query, filter.pageSize, filter.pageToken);
    const items = page.items
      .map((info) => normalizeAccountMemo(info.memo))
      .filter((memo): memo is AccountMemo => Boolean(memo))
      .filter((memo) => !filter.type || memo.account.type === filter.type)
      .map((memo) => ({ ...memo.account, contacts: memo.contacts.length }));
    return { items, nextPageToken: page.nextPageToken };
  }

  async change(
    accountId: string,
    body: PatchAccountBody,
    principal: Principal,
    idempotencyKey: string,
  ): Promise<AccountView> {
    const { account } = await this.memo(accountId);
    const changes: AccountChangeSet = { ...body };
    const next = { ...account, ...changes };
    // Leaving a plan with a TAM unassigns the TAM (logged like any change) unless the request sets one.
    if (
      changes.plan &&
      this.policy.plan(changes.plan) &&
      !this.policy.plan(changes.plan)!.features.tam &&
      body.tamId === undefined &&
      account.tamId
    ) {
      changes.tamId = null;
      next.tamId = null;
    }
    await this.checkRecord(next, Boolean(body.tamId));
    const maxContacts = this.policy.plan(next.plan)!.features.maxContacts;
    const command = commandIdentity('change', idempotencyKey, body);
    return this.write(accountId, `change account ${accountId}`, () =>
      executeCommand(
        this.handle(accountId),
        changeAccountUpdate,
        { changes, actor: actorOf(principal), maxContacts },
        command,
      ),
    );
  }

  async registerContact(
    accountId: string,
    body: RegisterContactBody,
    principal: Principal,
    idempotencyKey: string,
  ): Promise<Contact> {
    const { account } = await this.memo(accountId);
    const plan = this.policy.plan(account.plan);
    if (!plan)
      throw Problem.conflict(`Account ${accountId} is on plan ${account.plan}, which the policy no longer defines.`);
    const command = commandIdentity('contact', idempotencyKey, body);
    const contactId =
      body.contactId ?? `C-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 10).toUpperCase()}`;
    return this.write(accountId, `register contact on ${accountId}`, () =>
      executeCommand(
        this.handle(accountId),
        registerContactUpdate,
        {
          contact: { contactId, name: body.name, email: body.email, phone: body.phone ?? null },
          actor: actorOf(principal),
          planId: account.plan,
          maxContacts: plan.features.maxContacts,
        },
        command,
      ),
    );
  }

  async removeContact(accountId: string, contactId: string, principal: Principal): Promise<AccountView> {
    await this.memo(accountId);
    return this.write(accountId, `remove contact from ${accountId}`, () =>
      this.handle(accountId).executeUpdate(removeContactUpdate, { args: [{ contactId, actor: actorOf(principal) }] }),
    );
  }
}
