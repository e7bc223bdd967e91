import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  IncidentIntake,
  IncidentWorkflowInput,
  IncidentMemo,
  IhrClock,
  Priority,
  changePriorityUpdate,
  priorityChangedSignal,
  reclassifyUpdate,
  RecordResponseInput,
  RecordResponseResult,
  recordResponseUpdate,
  ResolveResult,
  resolveUpdate,
  ResponseKind,
  Severity,
  incidentStatusQuery,
  incidentTimelineQuery,
  publicationAtIntake,
  incidentWorkflowId,
  SA,
  TASK_QUEUE,
  TimelinePage,
  WORKFLOW_TYPES,
} from '../../../../libs/contracts/src';
import { Principal } from '../../../../libs/auth/src';
import { IhrClockPlanner, pinSla, POLICY, Policy } from '../../../../libs/policy/src';
import { AccountsService } from '../accounts/accounts.service';
import { AccountAccess } from '../auth/account-access';
import { FieldError, Problem } from '../common/problem';
import { actorOf } from '../auth/actors';
import { withWorker } from '../common/temporal-calls';
import { commandIdentity, executeCommand, keyReusedProblem } from '../common/update-id';
import { IncidentWorkflow } from '../common/workflow-types';
import { AppConfig } from '../../../../libs/settings/src';
import { APP_CONFIG } from '../core/app-config';
import { andQuery, listPage, literal, Page } from '../common/visibility';
import { TEMPORAL_CLIENT } from '../temporal.providers';
import { ApiMetrics } from '../observability/metrics';
import { incidentSummary, IncidentSummary, UNSUMMARIZED_MEMO } from './incident-summary';
import { remainingBusinessMs } from './remaining-time';
import {
  AUTOMATED_KINDS,
  ListIncidentsQuery,
  OpenIncidentBody,
  recordResponseSchema,
  TimelineQuery,
} from './incident.schemas';
import { assertMaySetEnteredAt } from './intake-rules';
import { incidentViewFor, timelineViewFor } from './incident-views';

type RecordResponseBody = z.infer<typeof recordResponseSchema>;

export interface OpenedIncident {
  incidentId: string;
  created: boolean;
  /** Accepted, but worth knowing (e.g. a Sev 1 reported by email). */
  warnings: FieldError[];
  /** The IHR due instant (as the incident has it now, for an incident opened earlier) and its label. */
  dueAt: string | null;
  dueLabel: string | null;
}

const MAX_FUTURE_MS = 60_000;
const MAX_PAST_MS = 30 * 24 * 3600_000;

/**
 * Same key, same incident: the id is derived from the idempotency key when there is one, scoped to
 * the account so two clients that happen to pick the same key never meet.
 */
export function incidentIdFor(accountId: string, idempotencyKey: string): string {
  const source = createHash('sha256').update(`${accountId}\n${idempotencyKey}`).digest();
  return `INC-${source.toString('hex').slice(0, 12).toUpperCase()}`;
}

/**
 * The body's fingerprint, `enteredAt` left out: omitted, it is the instant of receipt, which a retry cannot
 * repeat. A retry that names it must name the same instant (existingFor compares it with the memo's).
 */
function intakeHash(body: OpenIncidentBody): string {
  const { enteredAt: _ignored, ...rest } = body;
  return createHash('sha256')
    .update(JSON.stringify(rest, Object.keys(rest).sort()))
    .digest('hex');
}

@Injectable()
export class IncidentsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(POLICY) private readonly policy: Policy,
    private readonly accounts: AccountsService,
    private readonly access: AccountAccess,
    private readonly metrics: ApiMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private readonly planner = new IhrClockPlanner();

  /**
   * Rules that need the account, the policy or the clock (422), after the schema passed (400).
   * Returns the account, the contact acting and the entry instant, plus advisory warnings.
   */
  private async checkIntake(body: OpenIncidentBody, principal: Principal, now: number, freshAccount: boolean) {
    const errors: FieldError[] = [];
    const warnings: FieldError[] = [];
    const memo = await this.accounts.cachedMemo(body.accountId, freshAccount);
    // A missing account and another customer's account get the same answer: IDs do not leak.
    if (!memo || !this.access.allows(principal, memo)) {
      throw Problem.unprocessable([{ field: 'accountId', rule: 'exists', message: `no account ${body.accountId}` }]);
    }
    const ownAccount = principal.role === 'customer' && principal.accountId === body.accountId;
    const contactId = body.contactId ?? (ownAccount ? principal.contactId : undefined);
    if (!contactId) {
      errors.push({ field: 'contactId', rule: 'required', message: 'is required (the key is not bound to a contact)' });
    } else if (ownAccount && principal.contactId && contactId !== principal.contactId) {
      errors.push({
        field: 'contactId',
        rule: 'ownContact',
        message: `this key acts as contact ${principal.contactId}`,
      });
    } else if (!memo.contacts.some((c) => c.contactId === contactId)) {
      errors.push({
        field: 'contactId',
        rule: 'registered',
        message: `contact ${contactId} is not registered on account ${body.accountId}`,
      });
    }
    const { plan: planId } = memo.account;
    const plan = this.policy.plan(planId);
    if (!plan)
      throw Problem.conflict(`Account ${body.accountId} is on plan ${planId}, which the policy no longer defines.`);
    if (!plan.features.channels.includes(body.channel)) {
      errors.push({
        field: 'channel',
        rule: 'planChannel',
        message: `channel ${body.channel} is not included in plan ${planId} (${plan.name}); allowed: ${plan.features.channels.join(', ')}`,
      });
    }
    const recommended = this.policy.recommendedChannels(body.severity as Severity);
    if (!recommended.includes(body.channel)) {
      warnings.push({
        field: 'channel',
        rule: 'recommendedChannel',
        message: `severity ${body.severity} is best reported by ${recommended.join(' or ')}; accepted by ${body.channel}`,
      });
    }
    const enteredAt = body.enteredAt ? Date.parse(body.enteredAt) : now;
    if (enteredAt > now + MAX_FUTURE_MS)
      errors.push({ field: 'enteredAt', rule: 'notInFuture', message: 'must not lie more than 60 s in the future' });
    if (enteredAt < now - MAX_PAST_MS)
      errors.push({ field: 'enteredAt', rule: 'maxAge', message: 'must not lie more than 30 days back' });
    if (errors.length > 0) throw Problem.unprocessable(errors);
    return { account: memo.account, contactId: contactId!, enteredAt, warnings };
  }

  /**
   * Starts the incident's workflow with its first IHR clock already planned (here, by the same planner
   * the worker uses), so the start carries the due instant in its memo and search attributes and the
   * answer can say when the IHR is due. Two Temporal calls at most: the account memo (usually cached)
   * and the start; a describe only when the Idempotency-Key was seen before.
   */
  async open(body: OpenIncidentBody, principal: Principal, idempotencyKey: string): Promise<OpenedIncident> {
    // A role rule, decided before any account is read (403 whichever account is named).
    assertMaySetEnteredAt(body, principal);
    const now = Date.now();
    const {
      account,
      contactId,
      enteredAt: enteredAtMs,
      warnings,
    } = await this.checkIntake(body, principal, now, false).catch((error: unknown) => {
      // A cached account may predate a contact registered a moment ago: rejections are decided on a fresh read.
      if (error instanceof Problem && error.status === 422) return this.checkIntake(body, principal, now, true);
      throw error;
    });
    const incidentId = incidentIdFor(body.accountId, idempotencyKey);
    const pinned = pinSla(this.policy, account.plan, account.supportCenter);
    const intake: IncidentIntake = {
      incidentId,
      accountId: body.accountId,
      contactId,
      severity: body.severity as IncidentIntake['severity'],
      priority: body.priority as IncidentIntake['priority'],
      channel: body.channel,
      product: body.product,
      productVersion: body.productVersion,
      summary: body.summary,
      description: body.description,
      environment: body.environment,
      enteredAt: new Date(enteredAtMs).toISOString(),
      externalRef: body.externalRef,
    };
    const initialClock = this.planner.plan({
      pinned,
      severity: intake.severity,
      enteredAt: intake.enteredAt,
      generation: 0,
    });
    const input: IncidentWorkflowInput = { intake, pinned, initialClock };
    const published = publicationAtIntake(input);
    const hash = intakeHash(body);
    const workflowId = incidentWorkflowId(incidentId);
    try {
      await this.client.workflow.start<IncidentWorkflow>(WORKFLOW_TYPES.incident, {
        taskQueue: TASK_QUEUE,
        workflowId,
        args: [input],
        // An existing incident under this id (a retry, or a concurrent request with the same key) is
        // not restarted: the error below leads to the memo, which says whether the bodies match.
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { intakeHash: hash, ...published.memo },
        typedSearchAttributes: new TypedSearchAttributes([
          { key: SA.accountId, value: body.accountId },
          { key: SA.plan, value: pinned.planId },
          { key: SA.supportCenter, value: pinned.supportCenter },
          ...published.attributes,
        ]),
        staticSummary:
          `${pinned.planId} Sev ${body.severity} P${body.priority} · ${body.accountId} · ${body.summary}`.slice(0, 200),
        staticDetails:
          `Incident ${incidentId} for account ${body.accountId} (${pinned.planName}, ${pinned.supportCenter}), ` +
          `entered ${intake.enteredAt} via ${body.channel}. Product ${body.product} ${body.productVersion}.`,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      // Only a client-chosen key makes ids meet (random ids do not collide).
      const existing = await this.existingFor(workflowId, hash, body.enteredAt);
      return {
        incidentId,
        created: false,
        warnings,
        dueAt: existing.dueAt ?? null,
        dueLabel: existing.dueLabel ?? null,
      };
    }
    this.metrics.incidentsOpened.inc({ plan: pinned.planId, severity: String(intake.severity) });
    return { incidentId, created: true, warnings, dueAt: initialClock.dueAt, dueLabel: initialClock.dueLabel };
  }

  /**
   * The memo of the incident already holding this id; 409 when it was opened with another body, or the
   * retry names an entry instant other than the incident's (a second incident's entry, not a retry: taking
   * it silently would keep the first instant while the client believes its own).
   */
  private async existingFor(workflowId: string, hash: string, enteredAt?: string): Promise<Partial<IncidentMemo>> {
    const existing = (await this.client.workflow.getHandle(workflowId).describe()).memo as
      Partial<IncidentMemo> | undefined;
    if (existing?.intakeHash !== hash) throw keyReusedProblem();
    const named = enteredAt !== undefined && existing.enteredAt !== undefined;
    if (named && Date.parse(enteredAt) !== Date.parse(existing.enteredAt!)) throw keyReusedProblem();
    return existing;
  }

  private handle(incidentId: string) {
    return this.client.workflow.getHandle(incidentWorkflowId(incidentId));
  }

  /** describe() of an incident (the server alone); 404 when it does not exist. */
  private async describe(incidentId: string) {
    try {
      return await this.handle(incidentId).describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw Problem.notFound(`No incident ${incidentId}.`);
      throw error;
    }
  }

  /** Search attributes and memo of an incident; 404 when it does not exist or the caller may not see it. */
  async summary(incidentId: string, caller: Principal): Promise<IncidentSummary> {
    const summary = incidentSummary(await this.describe(incidentId));
    await this.assertVisible(incidentId, summary.accountId, caller);
    return summary;
  }

  /**
   * The full status with the business time left now. The workflow keeps its status in the memo, so
   * describe() alone answers. An incident without it (opened before the workflow kept it, or whose
   * first workflow task has not run yet) is asked by query; when no worker answers in time, what
   * describe() knows (search attributes and small memo) answers, flagged `degraded`.
   */
  async status(incidentId: string, caller: Principal) {
    const description = await this.describe(incidentId);
    let status = (description.memo as Partial<IncidentMemo> | undefined)?.status;
    if (!status) {
      try {
        const deadline = Date.now() + this.config.API_QUERY_WAIT_MS;
        status = await this.client.connection.withDeadline(deadline, () =>
          this.handle(incidentId).query(incidentStatusQuery),
        );
      } catch {
        const summary = incidentSummary(description);
        await this.assertVisible(incidentId, summary.accountId, caller);
        return { ...summary, degraded: true as const };
      }
    }
    await this.assertVisible(incidentId, status.accountId, caller);
    // What the caller's role may see of it (a customer key: no addresses, key ids or delivery internals).
    return incidentViewFor(caller.role)({
      ...status,
      remainingBusinessMs: remainingBusinessMs(status, Date.now(), this.planner, this.policy),
    });
  }

  /**
   * A page of the whole timeline (oldest first), answered by the workflow's `timeline` query: the memo
   * keeps the last entries only (patch bounded-history). 503 when no worker answers in time.
   */
  async timeline(incidentId: string, query: TimelineQuery, caller: Principal): Promise<TimelinePage> {
    const summary = incidentSummary(await this.describe(incidentId));
    await this.assertVisible(incidentId, summary.accountId, caller);
    const request = { pageSize: query.pageSize, ...(query.pageToken ? { pageToken: query.pageToken } : {}) };
    const timelineQuery = () => this.handle(incidentId).query(incidentTimelineQuery, request);
    const page = await withWorker(
      this.client,
      this.config.API_QUERY_WAIT_MS,
      `timeline of ${incidentId}`,
      timelineQuery,
    );
    // The caller's role sees the entries as in the status: a customer key without delivery events or key ids.
    return { ...page, entries: timelineViewFor(caller.role)(page.entries) };
  }

  /** Commands need a running incident: a resolved one (its workflow completed) answers 409. */
  private async openIncident(incidentId: string, caller: Principal): Promise<IncidentSummary> {
    const summary = await this.summary(incidentId, caller);
    if (!summary.open) {
      throw Problem.conflict(`Incident ${incidentId} is resolved.`, [
        { field: 'incident', rule: 'open', message: 'the incident is resolved' },
      ]);
    }
    return summary;
  }

  /** Customers see incidents of their own (or their partner-linked) accounts only; others get 404. */
  private async assertVisible(incidentId: string, accountId: string, caller: Principal): Promise<void> {
    if (caller.role !== 'customer') return;
    const account = await this.accounts.memoOrUndefined(accountId);
    if (!account || !this.access.allows(caller, account)) throw Problem.notFound(`No incident ${incidentId}.`);
  }

  async list(query: ListIncidentsQuery, caller: Principal): Promise<Page<IncidentSummary>> {
    let account = query.account;
    if (caller.role === 'customer') {
      account ??= caller.accountId;
      if (!account || !this.access.allows(caller, await this.accounts.memo(account)))
        throw Problem.notFound(`No account ${account}.`);
    }
    const visibilityQuery = andQuery([
      `WorkflowType = ${literal(WORKFLOW_TYPES.incident)}`,
      account !== undefined && `SlaAccountId = ${literal(account)}`,
      query.state !== undefined && `SlaState = ${literal(query.state)}`,
      query.severity !== undefined && `SlaSeverity = ${query.severity}`,
      query.plan !== undefined && `SlaPlan = ${literal(query.plan)}`,
      query.center !== undefined && `SlaSupportCenter = ${literal(query.center)}`,
      query.dueBefore !== undefined && `SlaIhrDueAt < ${literal(new Date(query.dueBefore).toISOString())}`,
      query.dueAfter !== undefined && `SlaIhrDueAt >= ${literal(new Date(query.dueAfter).toISOString())}`,
      query.open !== undefined && `ExecutionStatus ${query.open === 'true' ? '=' : '!='} "Running"`,
    ]);
    const page = await listPage(this.client, visibilityQuery, query.pageSize, query.pageToken, UNSUMMARIZED_MEMO);
    return { items: page.items.map(incidentSummary), nextPageToken: page.nextPageToken };
  }

  // `receivedAt`: when the request arrived (the command takes effect then); default: as the method starts.
  async respond(
    incidentId: string,
    input: RecordResponseBody,
    caller: Principal,
    key: string,
    receivedAt = new Date().toISOString(),
  ): Promise<RecordResponseResult> {
    if ((AUTOMATED_KINDS as readonly string[]).includes(input.kind)) {
      throw Problem.unprocessable([
        {
          field: 'kind',
          rule: 'humanResponse',
          message: `${input.kind}: automated acknowledgements never count as a human response`,
        },
      ]);
    }
    await this.openIncident(incidentId, caller);
    const args: RecordResponseInput = {
      kind: input.kind as ResponseKind,
      responder: input.responder ?? actorOf(caller),
      respondedAt: input.respondedAt,
      receivedAt,
      recordedByKeyId: caller.keyId,
    };
    const command = commandIdentity('response', key, input);
    return withWorker(this.client, this.config.API_WORKER_WAIT_MS, `record response on ${incidentId}`, () =>
      executeCommand(this.handle(incidentId), recordResponseUpdate, args, command),
    );
  }

  async reclassify(
    incidentId: string,
    input: { severity: number; reason: string },
    caller: Principal,
    key: string,
    receivedAt = new Date().toISOString(),
  ): Promise<IhrClock> {
    await this.openIncident(incidentId, caller);
    const command = commandIdentity('severity', key, input);
    const args = { severity: input.severity as Severity, reason: input.reason, actor: actorOf(caller), receivedAt };
    return withWorker(this.client, this.config.API_WORKER_WAIT_MS, `reclassify ${incidentId}`, () =>
      executeCommand(this.handle(incidentId), reclassifyUpdate, args, command),
    );
  }

  /** A signal, or with the client's key a command (an update the workflow answers; docs/api.md, Idempotency). */
  async changePriority(incidentId: string, priority: number, caller: Principal, key?: string): Promise<void> {
    await this.openIncident(incidentId, caller);
    const change = { priority: priority as Priority, actor: actorOf(caller) };
    if (key === undefined) return this.handle(incidentId).signal(priorityChangedSignal, change);
    const command = commandIdentity('priority', key, { priority });
    await withWorker(this.client, this.config.API_WORKER_WAIT_MS, `change the priority of ${incidentId}`, () =>
      executeCommand(this.handle(incidentId), changePriorityUpdate, change, command),
    );
  }

  async resolve(
    incidentId: string,
    summary: string,
    caller: Principal,
    key: string,
    receivedAt = new Date().toISOString(),
  ): Promise<ResolveResult> {
    await this.openIncident(incidentId, caller);
    const command = commandIdentity('resolve', key, { summary });
    return withWorker(this.client, this.config.API_WORKER_WAIT_MS, `resolve ${incidentId}`, () =>
      executeCommand(this.handle(incidentId), resolveUpdate, { summary, actor: actorOf(caller), receivedAt }, command),
    );
  }
}
