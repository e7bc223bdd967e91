import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import {
  accountChangesQuery,
  accountViewQuery,
  AccountWorkflowInput,
  registerContactUpdate,
  removeContactUpdate,
} from '../../libs/contracts/src';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv, workflowBundle } from '../support/temporal';

// Issue 14, item 6: an account's history grows linearly with its changes (no update answers with the
// whole, growing change log) and the change log is never dropped: older entries are read page by page.
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
// The time-skipping server has no schedules: the schedule sync (an activity) answers at once here.
const QUEUE = 'account-history';

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: QUEUE,
    workflowBundle: workflowBundle(),
    activities: { syncHealthCheckSchedule: async () => ({}) },
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

function accountInput(accountId: string): AccountWorkflowInput {
  const account = {
    accountId,
    name: 'Acme',
    type: 'customer' as const,
    plan: 'SP2',
    supportCenter: 'emea',
    contractStart: '2025-01-01',
    tamId: null,
    partnerId: null,
    createdAt: new Date().toISOString(),
    createdBy: 'admin:test',
  };
  return { view: { account, contacts: [], changes: [] } };
}

async function historyOf(workflowId: string): Promise<{ events: number; bytes: number; runId: string }> {
  const { runId } = await env.client.workflow.getHandle(workflowId).describe();
  const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
  return {
    events: history.events?.length ?? 0,
    bytes: temporal.api.history.v1.History.encode(history).finish().length,
    runId,
  };
}

/** Registers and removes a contact `pairs` times (2 change-log entries a pair). */
async function churn(workflowId: string, from: number, to: number): Promise<void> {
  const handle = env.client.workflow.getHandle(workflowId);
  for (let i = from; i <= to; i++) {
    const contactId = `C-${i}`;
    await handle.executeUpdate(registerContactUpdate, {
      args: [
        {
          contact: { contactId, name: 'N', email: `n${i}@acme.example`, phone: null },
          actor: 'admin:test',
          planId: 'SP2',
          maxContacts: 4,
        },
      ],
    });
    await handle.executeUpdate(removeContactUpdate, { args: [{ contactId, actor: 'admin:test' }] });
  }
}

/** Every change-log entry, page by page (the paged `changes` query). */
async function allChanges(workflowId: string) {
  const entries = [];
  let pageToken: string | undefined;
  do {
    const page = await env.client.workflow
      .getHandle(workflowId)
      .query(accountChangesQuery, { pageSize: 64, pageToken });
    entries.push(...page.entries);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return entries;
}

describe('account history stays bounded, its change log whole (issue 14, item 6)', () => {
  it('grows linearly: contact pairs 101-150 add about as many bytes as pairs 1-50', async () => {
    const workflowId = `account/hist-${Date.now()}`;
    await env.client.workflow.start('accountWorkflow', { taskQueue: QUEUE, workflowId, args: [accountInput('hist')] });
    await churn(workflowId, 1, 10);
    const at0 = await historyOf(workflowId);
    await churn(workflowId, 11, 60);
    const at50 = await historyOf(workflowId);
    await churn(workflowId, 61, 110);
    const at100 = await historyOf(workflowId);
    await churn(workflowId, 111, 160);
    const at150 = await historyOf(workflowId);
    const first = at50.bytes - at0.bytes;
    const last = at150.bytes - at100.bytes;
    // Before: each removal answered with the whole change log, so the last pairs cost several times the first.
    expect(last / first).toBeLessThan(1.3);
    const changes = await allChanges(workflowId);
    expect(changes).toHaveLength(320);
    expect(changes.map((c) => (c.field === 'contacts' ? (c.to ?? c.from) : ''))[0]).toBe('C-1');
    expect(
      (await env.client.workflow.getHandle(workflowId).query(accountViewQuery)).changes.length,
    ).toBeLessThanOrEqual(20);
    await env.client.workflow.getHandle(workflowId).terminate('done');
  }, 180_000);

  it('continues as new past its history limit and keeps every change-log entry', async () => {
    const workflowId = `account/can-${Date.now()}`;
    const input = { ...accountInput('can'), historyLimits: { events: 50 } };
    const first = await env.client.workflow.start('accountWorkflow', { taskQueue: QUEUE, workflowId, args: [input] });
    await churn(workflowId, 1, 40);
    for (let i = 0; i < 100 && (await historyOf(workflowId)).runId === first.firstExecutionRunId; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect((await historyOf(workflowId)).runId).not.toBe(first.firstExecutionRunId);
    const changes = await allChanges(workflowId);
    expect(changes).toHaveLength(80);
    expect(changes.filter((c) => c.to !== null).map((c) => c.to)).toEqual(
      Array.from({ length: 40 }, (_, i) => `C-${i + 1}`),
    );
    await env.client.workflow.getHandle(workflowId).terminate('done');
  }, 180_000);
});
