import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  IncidentIntake,
  IncidentMemo,
  IncidentStatus,
  Severity,
  incidentStatusQuery,
  incidentWorkflowId,
  SA,
  TASK_QUEUE,
} from '../../../../libs/contracts/src';
import { Principal } from '../../../../libs/auth/src';
import { pinSla, POLICY, Policy } from '../../../../libs/policy/src';
import { AccountsService } from '../accounts/accounts.service';
import { AccountAccess } from '../auth/account-access';
import { FieldError, Problem } from '../common/problem';
import { TEMPORAL_CLIENT } from '../temporal.providers';
import { OpenIncidentBody } from './incident.schemas';

export interface OpenedIncident {
  incidentId: string;
  created: boolean;
  /** Accepted, but worth knowing (e.g. a Sev 1 reported by email). */
  warnings: FieldError[];
}

const MAX_FUTURE_MS = 60_000;
const MAX_PAST_MS = 30 * 24 * 3600_000;

/** Same key, same incident: the id is derived from the idempotency key when there is one. */
export function incidentIdFor(idempotencyKey: string | undefined): string {
  const source = idempotencyKey ? createHash('sha256').update(idempotencyKey).digest() : randomBytes(16);
  return `INC-${source.toString('hex').slice(0, 12).toUpperCase()}`;
}

function intakeHash(body: OpenIncidentBody): string {
  const { enteredAt: _ignored, ...rest } = body;
  return createHash('sha256').update(JSON.stringify(rest, Object.keys(rest).sort())).digest('hex');
}

@Injectable()
export class IncidentsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(POLICY) private readonly policy: Policy,
    private readonly accounts: AccountsService,
    private readonly access: AccountAccess,
  ) {}

  /**
   * Rules that need the account, the policy or the clock (422), after the schema passed (400).
   * Returns the account, the contact acting and the entry instant, plus advisory warnings.
   */
  private async checkIntake(body: OpenIncidentBody, principal: Principal, now: number) {
    const errors: FieldError[] = [];
    const warnings: FieldError[] = [];
    const memo = await this.accounts.memoOrUndefined(body.accountId);
    // A missing account and another customer's account get the same answer: IDs do not leak.
    if (!memo || !this.access.allows(principal, memo)) {
      throw Problem.unprocessable([{ field: 'accountId', rule: 'exists', message: `no account ${body.accountId}` }]);
    }
    const ownAccount = principal.role === 'customer' && principal.accountId === body.accountId;
    const contactId = body.contactId ?? (ownAccount ? principal.contactId : undefined);
    if (!contactId) {
      errors.push({ field: 'contactId', rule: 'required', message: 'is required (the key is not bound to a contact)' });
    } else if (ownAccount && principal.contactId && contactId !== principal.contactId) {
      errors.push({ field: 'contactId', rule: 'ownContact', message: `this key acts as contact ${principal.contactId}` });
    } else if (!memo.contacts.some((c) => c.contactId === contactId)) {
      errors.push({ field: 'contactId', rule: 'registered', message: `contact ${contactId} is not registered on account ${body.accountId}` });
    }
    const { plan: planId } = memo.account;
    const plan = this.policy.plan(planId);
    if (!plan) throw Problem.conflict(`Account ${body.accountId} is on plan ${planId}, which the policy no longer defines.`);
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
    if (enteredAt > now + MAX_FUTURE_MS) errors.push({ field: 'enteredAt', rule: 'notInFuture', message: 'must not lie more than 60 s in the future' });
    if (enteredAt < now - MAX_PAST_MS) errors.push({ field: 'enteredAt', rule: 'maxAge', message: 'must not lie more than 30 days back' });
    if (errors.length > 0) throw Problem.unprocessable(errors);
    return { account: memo.account, contactId: contactId!, enteredAt, warnings };
  }

  async open(body: OpenIncidentBody, principal: Principal, idempotencyKey: string | undefined): Promise<OpenedIncident> {
    const { account, contactId, enteredAt: enteredAtMs, warnings } = await this.checkIntake(body, principal, Date.now());
    const incidentId = incidentIdFor(idempotencyKey);
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
    const memo: IncidentMemo = { intakeHash: intakeHash(body), summary: body.summary, enteredAt: intake.enteredAt };
    const workflowId = incidentWorkflowId(incidentId);
    // A retried request finds its incident; a concurrent one is settled by USE_EXISTING.
    if (await this.sameIntakeExists(workflowId, memo.intakeHash)) return { incidentId, created: false, warnings };
    try {
      await this.client.workflow.start('incidentWorkflow', {
        taskQueue: TASK_QUEUE,
        workflowId,
        args: [{ intake, pinned }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { ...memo },
        typedSearchAttributes: new TypedSearchAttributes([
          { key: SA.accountId, value: body.accountId },
          { key: SA.plan, value: pinned.planId },
          { key: SA.supportCenter, value: pinned.supportCenter },
          { key: SA.severity, value: body.severity },
          { key: SA.priority, value: body.priority },
          { key: SA.state, value: 'pending' },
        ]),
        staticSummary: `${pinned.planId} Sev ${body.severity} P${body.priority} · ${body.accountId} · ${body.summary}`.slice(0, 200),
        staticDetails: `Incident ${incidentId} for account ${body.accountId} (${pinned.planName}, ${pinned.supportCenter}), ` +
          `entered ${intake.enteredAt} via ${body.channel}. Product ${body.product} ${body.productVersion}.`,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    if (!(await this.sameIntakeExists(workflowId, memo.intakeHash))) throw this.keyReused();
    return { incidentId, created: true, warnings };
  }

  /** true: this intake already runs under the id; false: nothing there; a different intake: 409. */
  private async sameIntakeExists(workflowId: string, hash: string): Promise<boolean> {
    let memo: Partial<IncidentMemo> | undefined;
    try {
      memo = (await this.client.workflow.getHandle(workflowId).describe()).memo as Partial<IncidentMemo> | undefined;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
    if (memo?.intakeHash !== hash) throw this.keyReused();
    return true;
  }

  private keyReused(): Problem {
    return Problem.conflict('This Idempotency-Key was already used for a different incident body.', [
      { field: 'Idempotency-Key', rule: 'sameBody', message: 'was used with a different body' },
    ]);
  }

  async status(incidentId: string): Promise<IncidentStatus> {
    try {
      return await this.client.workflow.getHandle(incidentWorkflowId(incidentId)).query(incidentStatusQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw Problem.notFound(`No incident ${incidentId}.`);
      throw error;
    }
  }
}
