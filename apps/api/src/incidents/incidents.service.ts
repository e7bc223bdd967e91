import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  IncidentIntake,
  IncidentMemo,
  IncidentStatus,
  incidentStatusQuery,
  incidentWorkflowId,
  SA,
  TASK_QUEUE,
} from '../../../../libs/contracts/src';
import { POLICY, Policy } from '../../../../libs/policy/src';
import { FieldError, Problem } from '../common/problem';
import { TEMPORAL_CLIENT } from '../temporal.providers';
import { OpenIncidentBody } from './incident.schemas';

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
  ) {}

  /** Rules that need the policy or the clock (422), after the schema passed (400). */
  private checkIntake(body: OpenIncidentBody, now: number): number {
    const errors: FieldError[] = [];
    const plan = this.policy.plan(body.plan);
    if (!plan) errors.push({ field: 'plan', rule: 'known', message: `unknown plan ${body.plan}; known: ${this.policy.planIds().join(', ')}` });
    if (!this.policy.center(body.supportCenter)) {
      errors.push({ field: 'supportCenter', rule: 'known', message: `unknown support center ${body.supportCenter}; known: ${this.policy.centerIds().join(', ')}` });
    }
    if (plan && !plan.features.channels.includes(body.channel)) {
      errors.push({ field: 'channel', rule: 'planChannel', message: `channel ${body.channel} is not included in plan ${body.plan} (${plan.name}); allowed: ${plan.features.channels.join(', ')}` });
    }
    const enteredAt = body.enteredAt ? Date.parse(body.enteredAt) : now;
    if (enteredAt > now + MAX_FUTURE_MS) errors.push({ field: 'enteredAt', rule: 'notInFuture', message: 'must not lie more than 60 s in the future' });
    if (enteredAt < now - MAX_PAST_MS) errors.push({ field: 'enteredAt', rule: 'maxAge', message: 'must not lie more than 30 days back' });
    if (errors.length > 0) throw Problem.unprocessable(errors);
    return enteredAt;
  }

  async open(body: OpenIncidentBody, idempotencyKey: string | undefined): Promise<{ incidentId: string; created: boolean }> {
    const enteredAtMs = this.checkIntake(body, Date.now());
    const incidentId = incidentIdFor(idempotencyKey);
    const center = this.policy.center(body.supportCenter)!;
    const intake: IncidentIntake = {
      incidentId,
      accountId: body.accountId,
      contactId: body.contactId,
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
    if (await this.sameIntakeExists(workflowId, memo.intakeHash)) return { incidentId, created: false };
    try {
      await this.client.workflow.start('incidentWorkflow', {
        taskQueue: TASK_QUEUE,
        workflowId,
        args: [{ intake, pinned: { planId: body.plan, supportCenter: body.supportCenter, zone: center.calendar.zone, policyVersion: this.policy.version } }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { ...memo },
        typedSearchAttributes: new TypedSearchAttributes([
          { key: SA.accountId, value: body.accountId },
          { key: SA.plan, value: body.plan },
          { key: SA.supportCenter, value: body.supportCenter },
          { key: SA.severity, value: body.severity },
          { key: SA.priority, value: body.priority },
          { key: SA.state, value: 'pending' },
        ]),
        staticSummary: `${body.plan} Sev ${body.severity} P${body.priority} · ${body.accountId} · ${body.summary}`.slice(0, 200),
        staticDetails: `Incident ${incidentId} for account ${body.accountId} (${body.plan}, ${body.supportCenter}), ` +
          `entered ${intake.enteredAt} via ${body.channel}. Product ${body.product} ${body.productVersion}.`,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    if (!(await this.sameIntakeExists(workflowId, memo.intakeHash))) throw this.keyReused();
    return { incidentId, created: true };
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
