import { ScheduleNotFoundError } from '@temporalio/client';
import { accountReviewPeriods, contractYear, contractYearAt, scheduleOptions } from '../../libs/health-checks/src';
import {
  AccountRecord,
  healthCheckScheduleId,
  healthCheckStatusQuery,
  healthCheckWorkflowId,
} from '../../libs/contracts/src';
import { accountBody, CONTRACT_START } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';
import { testPolicy } from '../support/temporal';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';

// Yearly health checks end to end on a real dev server: schedules, the starter, the year's workflow,
// tasks over HTTP and their signed webhook notifications.
jest.setTimeout(180_000);

const SECRET = `whsec_${Buffer.from('health-check-e2e-secret-0123456789').toString('base64')}`;
const SECRET_ENV = 'SLA_HC_E2E_HOOK_SECRET';
process.env[SECRET_ENV] = SECRET;

const ZONE = 'Europe/Helsinki';
const YEAR = contractYearAt(CONTRACT_START, ZONE, Date.now())!.contractYear;

let stack: TestStack;
let receiver: WebhookReceiver;

const account = accountBody;

async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const describeSchedule = (accountId: string) =>
  stack.client.schedule.getHandle(healthCheckScheduleId(accountId)).describe();
async function scheduleGone(accountId: string): Promise<boolean> {
  try {
    await describeSchedule(accountId);
    return false;
  } catch (error) {
    return error instanceof ScheduleNotFoundError;
  }
}
async function scheduleIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const s of stack.client.schedule.list()) ids.push(s.scheduleId);
  return ids;
}

beforeAll(async () => {
  receiver = await startWebhookReceiver(SECRET);
  const policy = testPolicy((doc) => {
    doc.subscribers = [{ id: 'tasks', url: receiver.url, secretEnv: SECRET_ENV, events: ['task.*'] }];
  });
  stack = await startTestStack(policy);
  for (const body of [
    account('acme', 'SPE', { tamId: 'jane.doe' }),
    account('globex', 'SP2'),
    account('initech', 'SPE', { tamId: 'jane.doe' }),
    account('umbrella', 'SP1'),
  ]) {
    const res = await stack.http('POST', '/v1/accounts', body);
    expect(res.status).toBe(201);
  }
  const contact = await stack.http('POST', '/v1/accounts/acme/contacts', {
    contactId: 'C-ACME-1',
    name: 'Ann',
    email: 'ann@acme.example',
  });
  expect(contact.status).toBe(201);
});

afterAll(async () => {
  await stack?.teardown();
  await receiver?.close();
});

describe('health-check schedules and tasks on the dev server', () => {
  it('creating an SPE account creates its yearly schedule: anniversary 09:00 in the center zone', async () => {
    const description = await eventually(() => describeSchedule('acme'), 'schedule health-checks/acme');
    expect(description.spec.timezone).toBe(ZONE);
    expect(description.spec.calendars?.[0]).toMatchObject({
      month: [{ start: 'MARCH', end: 'MARCH', step: 1 }],
      dayOfMonth: [{ start: 1, end: 1, step: 1 }],
      hour: [{ start: 9, end: 9, step: 1 }],
    });
    expect(description.policies.overlap).toBe('ALLOW_ALL');
    expect(description.policies.catchupWindow).toBe(30 * 24 * 3600 * 1000);
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'healthCheckStarterWorkflow',
      workflowId: 'health-checks/acme',
      taskQueue: 'sla',
    });
    const next = description.info.nextActionTimes[0];
    expect(next.toISOString()).toMatch(/-03-01T07:00:00\.000Z$/); // 09:00 EET
    await eventually(async () => (await scheduleIds()).includes('health-checks/acme'), 'schedule list');
  });

  it('gives an SP2 account no schedule, and refuses its request with 422 naming the plan', async () => {
    await eventually(() => describeSchedule('umbrella'), 'schedule of the SP1 account');
    expect(await scheduleGone('globex')).toBe(true);
    const res = await stack.http('POST', '/v1/accounts/globex/health-checks', { kind: 'remote' }, { as: 'globex' });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors[0]).toMatchObject({ field: 'kind', rule: 'planFeature' });
    expect(res.body.errors[0].message).toContain('plan SP2 (Advanced)');
    // SP1 has remote only: onsite is refused naming the plan too.
    const onsite = await stack.http('POST', '/v1/accounts/umbrella/health-checks', { kind: 'onsite' });
    expect(onsite.status).toBe(422);
    expect(onsite.body.errors[0].message).toContain('plan SP1 (Premium)');
  });

  it("trigger() runs the starter, which finds or starts the contract year's workflow (duplicates are no-ops)", async () => {
    const handle = stack.client.schedule.getHandle(healthCheckScheduleId('acme'));
    await handle.trigger();
    await new Promise((r) => setTimeout(r, 1100)); // a second nominal time (IDs carry seconds)
    await handle.trigger();
    const starters = await eventually(async () => {
      const found = [];
      for await (const info of stack.client.workflow.list({
        query: `WorkflowType = "healthCheckStarterWorkflow" AND SlaAccountId = "acme"`,
      }))
        found.push(info);
      return found.length >= 2 ? found : undefined;
    }, 'two starter runs').catch(async (error) => {
      const all = [];
      for await (const info of stack.client.workflow.list({ query: `WorkflowType = "healthCheckStarterWorkflow"` }))
        all.push([info.workflowId, info.status.name, JSON.stringify(info.searchAttributes)]);
      console.log(JSON.stringify(all), JSON.stringify((await handle.describe()).info));
      throw error;
    });
    const results = await Promise.all(starters.map((s) => stack.client.workflow.getHandle(s.workflowId).result()));
    for (const result of results) expect(result).toMatchObject({ workflowId: healthCheckWorkflowId('acme', YEAR) });
    expect(results.map((r) => r.action).sort()).toEqual(['existing', 'existing']); // the account's creation started it
    for (const s of starters)
      expect(s.workflowId).toMatch(/^health-checks\/acme-\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const year = await stack.client.workflow.getHandle(healthCheckWorkflowId('acme', YEAR)).describe();
    expect(year.status.name).toBe('RUNNING');
    const runs = [];
    for await (const info of stack.client.workflow.list({
      query: `WorkflowId = "${healthCheckWorkflowId('acme', YEAR)}"`,
    }))
      runs.push(info);
    expect(runs).toHaveLength(1);
  });

  it('customer request -> TAM task listed and delivered -> scheduled -> completed; a second request is 409', async () => {
    const bad = await stack.http(
      'POST',
      '/v1/accounts/acme/health-checks',
      { kind: 'remote', preferredDates: ['2020-01-01'] },
      { as: 'acme' },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ field: 'preferredDates[0]', rule: 'future' });
    const late = await stack.http(
      'POST',
      '/v1/accounts/acme/health-checks',
      { kind: 'remote', preferredDates: [`${YEAR + 3}-01-10`] },
      { as: 'acme' },
    );
    expect(late.status).toBe(422);
    expect(late.body.errors[0]).toMatchObject({ field: 'preferredDates[0]', rule: 'contractYear' });

    const preferred = `${YEAR + 1}-01-20`;
    const created = await stack.http(
      'POST',
      '/v1/accounts/acme/health-checks',
      { kind: 'remote', preferredDates: [preferred] },
      { as: 'acme', headers: { 'Idempotency-Key': 'hc-1' } },
    );
    expect(created.status).toBe(201);
    const taskId = `acme:${YEAR}:remote`;
    expect(created.body).toMatchObject({
      taskId,
      state: 'open',
      owner: 'jane.doe',
      title: 'schedule the remote health check',
      // Who acted, to a customer key: the role, never the vendor's key id (the vendor reads it below).
      requestedBy: 'customer',
    });
    // Due: end of the 10th business day (17:00 Helsinki), within 10-16 calendar days.
    const days = (Date.parse(created.body.dueAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(9);
    expect(days).toBeLessThan(17);
    // A retried request with the same key is the same update: same task, no 409.
    const retried = await stack.http(
      'POST',
      '/v1/accounts/acme/health-checks',
      { kind: 'remote', preferredDates: [preferred] },
      { as: 'acme', headers: { 'Idempotency-Key': 'hc-1' } },
    );
    expect(retried.status).toBe(201);
    expect(retried.body.createdAt).toBe(created.body.createdAt);
    // The same key with another body is a conflict, not the first request's task (issue 14, item 3).
    const reused = await stack.http(
      'POST',
      '/v1/accounts/acme/health-checks',
      { kind: 'remote' },
      { as: 'acme', headers: { 'Idempotency-Key': 'hc-1' } },
    );
    expect(reused.status).toBe(409);
    expect(reused.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key', rule: 'sameBody' })]);

    const again = await stack.http('POST', '/v1/accounts/acme/health-checks', { kind: 'remote' }, { as: 'acme' });
    expect(again.status).toBe(409);
    expect(again.body.errors[0]).toMatchObject({ field: 'kind', rule: 'oncePerContractYear' });

    // Listed for the TAM (own tasks by default) through visibility.
    const listed = await eventually(async () => {
      const res = await stack.http('GET', '/v1/tasks?state=open', undefined, { as: 'tam' });
      return res.body.items?.some((t: any) => t.taskId === taskId) ? res.body : undefined;
    }, 'task listed for the TAM');
    expect(listed.owner).toBe('jane.doe');
    const listedTask = listed.items.find((t: any) => t.taskId === taskId);
    expect(listedTask).toMatchObject({
      accountId: 'acme',
      contractYear: YEAR,
      state: 'open',
      dueAt: created.body.dueAt,
    });
    const soon = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    const dueBefore = await stack.http('GET', `/v1/tasks?state=open&dueBefore=${soon}`, undefined, { as: 'tam' });
    expect(dueBefore.status).toBe(200);
    expect(dueBefore.body.items.some((t: any) => t.taskId === taskId)).toBe(false);
    // due_before: the previous release's name, still accepted (deprecated) and meaning the same.
    const alias = await stack.http('GET', `/v1/tasks?state=open&due_before=${soon}`, undefined, { as: 'tam' });
    expect(alias.status).toBe(200);
    expect(alias.body.items).toEqual(dueBefore.body.items);
    const forbidden = await stack.http('GET', '/v1/tasks', undefined, { as: 'acme' });
    expect(forbidden.status).toBe(403);

    // Delivered as a signed webhook.
    const delivery = await eventually(
      async () =>
        receiver.deliveries().find((d) => d.body?.type === 'task.created' && d.body?.data?.task?.taskId === taskId),
      'task.created webhook',
    );
    expect(delivery.verified).toBe(true);
    expect(delivery.id).toBe(`${taskId}.task.created`);
    expect(delivery.body.data).toMatchObject({ accountId: 'acme', owner: 'jane.doe', contractYear: YEAR });

    const notYet = await stack.http('POST', `/v1/tasks/${taskId}/complete`, { summary: 'done' }, { as: 'tam' });
    expect(notYet.status).toBe(409);
    const past = await stack.http('POST', `/v1/tasks/${taskId}/schedule`, { date: '2020-02-02' }, { as: 'tam' });
    expect(past.status).toBe(422);
    expect(past.body.errors[0]).toMatchObject({ field: 'date', rule: 'future' });

    const scheduled = await stack.http(
      'POST',
      `/v1/tasks/${taskId}/schedule`,
      { date: preferred },
      { as: 'tam', headers: { 'Idempotency-Key': 'sch-1' } },
    );
    expect(scheduled.status).toBe(200);
    const rescheduledWithSameKey = await stack.http(
      'POST',
      `/v1/tasks/${taskId}/schedule`,
      { date: `${YEAR + 1}-01-21` },
      { as: 'tam', headers: { 'Idempotency-Key': 'sch-1' } },
    );
    expect(rescheduledWithSameKey.status).toBe(409);
    expect(rescheduledWithSameKey.body.errors).toEqual([
      expect.objectContaining({ field: 'Idempotency-Key', rule: 'sameBody' }),
    ]);
    expect(scheduled.body).toMatchObject({ state: 'scheduled', scheduledBy: 'tam:tam' });
    expect(Date.parse(scheduled.body.scheduledFor)).toBe(Date.parse(`${preferred}T09:00:00+02:00`));
    expect(Date.parse(scheduled.body.remindAt)).toBeLessThan(Date.parse(scheduled.body.scheduledFor));

    const completed = await stack.http(
      'POST',
      `/v1/tasks/${taskId}/complete`,
      { summary: 'Reviewed 4.2 upgrade plan and alerting.' },
      { as: 'tam' },
    );
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ state: 'done', summary: 'Reviewed 4.2 upgrade plan and alerting.' });

    const mine = await stack.http('GET', '/v1/accounts/acme/health-checks', undefined, { as: 'acme' });
    expect(mine.status).toBe(200);
    const year = mine.body.contractYears.find((y: any) => y.contractYear === YEAR);
    expect(year.requests.remote).toMatchObject({ state: 'done', summary: 'Reviewed 4.2 upgrade plan and alerting.' });
    expect(year.offer.offers).toMatchObject({ remote: { status: 'requested' }, onsite: { status: 'open' } });
    const other = await stack.http('GET', '/v1/accounts/acme/health-checks', undefined, { as: 'globex' });
    expect(other.status).toBe(404);
    const agent = await stack.http('GET', '/v1/accounts/acme/health-checks', undefined, { as: 'agent' });
    expect(agent.status).toBe(200);
    const asVendor = agent.body.contractYears.find((y: any) => y.contractYear === YEAR).requests.remote;
    expect(asVendor).toMatchObject({ requestedBy: 'customer:acme', completedBy: 'tam:tam' });
    expect(year.requests.remote).toMatchObject({ requestedBy: 'customer', completedBy: 'tam' });

    await eventually(
      async () =>
        receiver.deliveries().find((d) => d.body?.type === 'task.completed' && d.body?.data?.task?.taskId === taskId),
      'task.completed webhook',
    );
  });

  it("an SPE account's current quarterly review is listed for its TAM and completed with a summary", async () => {
    const now = Date.now();
    const period = accountReviewPeriods(contractYear(CONTRACT_START, ZONE, YEAR), ZONE, 3).find(
      (p) => Date.parse(p.start) <= now && now < Date.parse(p.end),
    )!;
    const taskId = `acme:${YEAR}:review-${period.review}`;
    const listed = await eventually(async () => {
      const res = await stack.http('GET', '/v1/tasks?state=open', undefined, { as: 'tam' });
      return res.body.items?.find((t: any) => t.taskId === taskId);
    }, 'review task listed for the TAM');
    expect(listed).toMatchObject({
      kind: 'review',
      title: 'host the quarterly account review',
      owner: 'jane.doe',
      accountId: 'acme',
      periodStart: period.start,
    });
    expect(Date.parse(listed.dueAt)).toBeGreaterThan(now);
    const schedule = await stack.http(
      'POST',
      `/v1/tasks/${taskId}/schedule`,
      { date: `${YEAR + 1}-01-20` },
      { as: 'tam' },
    );
    expect(schedule.status).toBe(422);
    expect(schedule.body.errors[0]).toMatchObject({ rule: 'reviewTask' });
    const completed = await stack.http(
      'POST',
      `/v1/tasks/${taskId}/complete`,
      { summary: 'Quarterly review: 2 open Sev 3s, upgrade to 4.2 in Q1.' },
      { as: 'tam' },
    );
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({
      taskId,
      state: 'done',
      completedBy: 'tam:tam',
      summary: 'Quarterly review: 2 open Sev 3s, upgrade to 4.2 in Q1.',
    });
    const again = await stack.http('POST', `/v1/tasks/${taskId}/complete`, { summary: 'again' }, { as: 'tam' });
    expect(again.status).toBe(409);
    await eventually(
      async () =>
        receiver.deliveries().find((d) => d.body?.type === 'task.completed' && d.body?.data?.task?.taskId === taskId),
      'review task.completed webhook',
    );
  });

  it('downgrade SPE -> SP2 removes the schedule and closes the offer with a reason', async () => {
    await eventually(() => describeSchedule('initech'), 'schedule health-checks/initech');
    const yearHandle = stack.client.workflow.getHandle(healthCheckWorkflowId('initech', YEAR));
    await eventually(async () => (await yearHandle.describe()).status.name === 'RUNNING', 'initech year workflow');
    const res = await stack.http('PATCH', '/v1/accounts/initech', { plan: 'SP2' });
    expect(res.status).toBe(200);
    await eventually(() => scheduleGone('initech'), 'schedule removed');
    const status = await eventually(async () => {
      const s = await yearHandle.query(healthCheckStatusQuery);
      return s.offer.state === 'closed' ? s : undefined;
    }, 'offer closed');
    expect(status.offer.outcome).toContain('SP2');
    expect(status.offer.offers.remote).toMatchObject({ status: 'closed' });
    expect(status.offer.offers.onsite?.reason).toContain('plan changed to SP2');
    expect(status.reviews?.[0]).toMatchObject({
      kind: 'review',
      state: 'closed',
      outcome: 'plan changed to SP2 (Advanced), which includes no account reviews',
    });
    const refused = await stack.http('POST', '/v1/accounts/initech/health-checks', { kind: 'remote' });
    expect(refused.status).toBe(422);
    await eventually(
      async () =>
        receiver.deliveries().find((d) => d.body?.type === 'task.closed' && d.body?.data?.accountId === 'initech'),
      'task.closed webhook',
    );
  });

  it("upgrade SP2 -> SP1 mid-year creates the schedule and starts the current year's workflow for the queue", async () => {
    expect((await stack.http('POST', '/v1/accounts', account('hooli', 'SP2'))).status).toBe(201);
    await new Promise((r) => setTimeout(r, 500));
    expect(await scheduleGone('hooli')).toBe(true);
    expect((await stack.http('PATCH', '/v1/accounts/hooli', { plan: 'SP1' })).status).toBe(200);
    await eventually(() => describeSchedule('hooli'), 'schedule health-checks/hooli');
    const year = stack.client.workflow.getHandle(healthCheckWorkflowId('hooli', YEAR));
    const status = await eventually(() => year.query(healthCheckStatusQuery), "hooli's year workflow");
    expect(status.kinds).toEqual(['remote']);
    expect(status.offer).toMatchObject({ state: 'open', owner: 'emea-success@vendor.example', ownerKind: 'queue' });
    const queueTasks = await eventually(async () => {
      const res = await stack.http(
        'GET',
        `/v1/tasks?owner=${encodeURIComponent('emea-success@vendor.example')}&state=open`,
      );
      return res.body.items?.some((t: any) => t.taskId === `hooli:${YEAR}:offer`) ? res.body : undefined;
    }, 'queue task listed');
    expect(queueTasks.owner).toBe('emea-success@vendor.example');
  });

  it('reconciliation recreates a deleted schedule and removes one of an account no longer eligible', async () => {
    await eventually(() => describeSchedule('umbrella'), 'schedule health-checks/umbrella');
    await stack.client.schedule.getHandle(healthCheckScheduleId('umbrella')).delete();
    // A stray schedule for the SP2 account (e.g. left behind by a failed sync).
    const globex = (await stack.http('GET', '/v1/accounts/globex')).body.account as AccountRecord;
    await stack.client.schedule.create(scheduleOptions(stack.policy, { ...globex, plan: 'SPE' }));
    const denied = await stack.http('POST', '/v1/admin/health-check-schedules/reconcile', undefined, { as: 'tam' });
    expect(denied.status).toBe(403);
    const report = await eventually(async () => {
      const res = await stack.http('POST', '/v1/admin/health-check-schedules/reconcile');
      expect(res.status).toBe(200);
      return res.body.created.includes('health-checks/umbrella') || res.body.deleted.includes('health-checks/globex')
        ? res.body
        : undefined;
    }, 'reconcile report');
    const all = [report];
    if (!(report.created.includes('health-checks/umbrella') && report.deleted.includes('health-checks/globex'))) {
      all.push((await stack.http('POST', '/v1/admin/health-check-schedules/reconcile')).body);
    }
    expect(all.flatMap((r) => r.created)).toContain('health-checks/umbrella');
    expect(all.flatMap((r) => r.deleted)).toContain('health-checks/globex');
    expect(await scheduleGone('globex')).toBe(true);
    await describeSchedule('umbrella');
    // Nothing left to fix.
    const again = (await stack.http('POST', '/v1/admin/health-check-schedules/reconcile')).body;
    expect(again).toMatchObject({ created: [], updated: [], deleted: [] });
  });
});
