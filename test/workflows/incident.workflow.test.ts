import { TestWorkflowEnvironment } from '@temporalio/testing';
import { IncidentStatus, IncidentWorkflowInput, incidentStatusQuery, TASK_QUEUE } from '../../libs/contracts/src';
import { createTimeSkippingEnv, RunningWorker, startWorker, testPolicy } from '../support/temporal';

const policy = testPolicy();
let env: TestWorkflowEnvironment;
let worker: RunningWorker;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  worker = await startWorker(env.nativeConnection, env.namespace ?? 'default', policy);
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

function input(overrides: Partial<IncidentWorkflowInput['intake']>, planId: string): IncidentWorkflowInput {
  return {
    intake: {
      incidentId: `INC-${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
      accountId: 'acme',
      contactId: 'c1',
      severity: 4,
      priority: 3,
      channel: 'portal',
      product: 'Engine',
      productVersion: '1.0',
      summary: 'test',
      description: 'test',
      enteredAt: new Date(0).toISOString(),
      ...overrides,
    },
    pinned: { planId, supportCenter: 'emea', zone: 'Europe/Helsinki', policyVersion: policy.version },
  };
}

describe('incident workflow on the time-skipping server', () => {
  it('sleeps 8 hours (SPE Sev 4, 24x7) and breaches in well under a second of real time', async () => {
    const enteredAt = new Date(await env.currentTimeMs()).toISOString();
    const args = input({ enteredAt }, 'SPE');
    const started = Date.now();
    const result: IncidentStatus = await env.client.workflow.execute('incidentWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: `incident/${args.intake.incidentId}`,
      args: [args],
    });
    const realMs = Date.now() - started;
    expect(result.state).toBe('breached');
    expect(result.ihr?.coverage).toBe('24x7');
    expect(Date.parse(result.ihr!.dueAt) - Date.parse(enteredAt)).toBe(8 * 3600_000);
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(Date.parse(result.ihr!.dueAt));
    expect(realMs).toBeLessThan(1_000);
  });

  it('answers the status query while waiting, with the due instant planned by the activity', async () => {
    const enteredAt = new Date(await env.currentTimeMs()).toISOString();
    const args = input({ enteredAt, severity: 1 }, 'SPE');
    const handle = await env.client.workflow.start('incidentWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: `incident/${args.intake.incidentId}`,
      args: [args],
    });
    // Queries do not skip time; poll until the clock is planned.
    let status: IncidentStatus | undefined;
    for (let i = 0; i < 50 && !status?.ihr; i++) status = await handle.query(incidentStatusQuery);
    expect(status?.state).toBe('pending');
    expect(Date.parse(status!.ihr!.dueAt) - Date.parse(enteredAt)).toBe(3600_000);
    await handle.terminate('test done');
  });
});
