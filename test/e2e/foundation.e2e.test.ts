import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DateTime } from 'luxon';
import { createSlaClient } from '../../libs/client/src';
import { accountWorkflowId, incidentWorkflowId, registerContactUpdate, SA } from '../../libs/contracts/src';
import { checkedFetch } from '../support/contract';
import { incidentBody } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';
import { testPolicy } from '../support/temporal';

let stack: TestStack;

// A center without holidays so the expected due instant holds whatever day the suite runs.
const policy = testPolicy((doc) => {
  doc.supportCenters.lab = {
    name: 'Lab',
    calendar: {
      zone: 'Europe/Helsinki',
      weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, ['08:00-17:00']])),
    },
    roles: { supportQueue: 'lab@vendor.example' },
  };
});

/** The latest Friday 16:00 in Helsinki before now, and the Tuesday 14:00 that 16 business hours later lands on. */
function lastFridayAfternoon() {
  const now = DateTime.now().setZone('Europe/Helsinki');
  let friday = now.set({ weekday: 5, hour: 16, minute: 0, second: 0, millisecond: 0 });
  if (friday > now) friday = friday.minus({ weeks: 1 });
  return { enteredAt: friday.toUTC().toISO()!, due: friday.plus({ days: 4 }).set({ hour: 14 }) };
}

beforeAll(async () => {
  stack = await startTestStack(policy);
  for (const [id, plan, contactId] of [
    ['acme', 'SP2', 'C-ACME-1'],
    ['basic', 'SP3', 'C-BASIC-1'],
  ]) {
    const created = await stack.http('POST', '/v1/accounts', {
      id,
      name: id,
      type: 'customer',
      plan,
      supportCenter: 'lab',
      contractStart: '2025-03-01',
    });
    expect(created.status).toBe(201);
    const contact = await stack.http('POST', `/v1/accounts/${id}/contacts`, {
      contactId,
      name: 'Pat',
      email: `pat@${id}.example`,
    });
    expect(contact.status).toBe(201);
  }
});

afterAll(async () => {
  await stack?.teardown();
});

const validIncident = () =>
  incidentBody('acme', 'C-ACME-1', {
    summary: 'Reports fail to render',
    description: 'Since the upgrade the monthly report is blank.',
    enteredAt: lastFridayAfternoon().enteredAt,
  });

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('foundation slice over HTTP on the dev server', () => {
  it('answers liveness and readiness', async () => {
    expect((await stack.http('GET', '/health/live')).status).toBe(200);
    const ready = await stack.http('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
  });

  it('serves the OpenAPI document with the incident endpoints', async () => {
    const doc = await stack.http('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/incidents', '/v1/incidents/{id}', '/v1/plans']),
    );
    // Bodies are named components, shared by requests and answers; the bearer scheme lets /docs authorize.
    expect(doc.body.paths['/v1/incidents'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/OpenIncidentRequest',
    });
    expect(doc.body.components.schemas.OpenIncidentRequest.required).toContain('severity');
    expect(doc.body.paths['/v1/incidents/{id}'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Incident',
    });
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect((await stack.http('GET', '/docs')).status).toBe(200);
  });

  it('exposes the policy version with the plans', async () => {
    const plans = await stack.http('GET', '/v1/plans');
    expect(plans.body.policyVersion).toBe(stack.policy.version);
    expect(plans.body.plans.map((p: { id: string }) => p.id)).toEqual(['SPE', 'SP1', 'SP2', 'SP3']);
  });

  it('opens an incident as a durable workflow with search attributes and a business-hours due instant', async () => {
    const opened = await stack.http('POST', '/v1/incidents', validIncident(), {
      headers: { 'Idempotency-Key': 'open-1' },
    });
    expect(opened.status).toBe(201);
    const { incidentId } = opened.body;
    expect(opened.headers.get('location')).toBe(`/v1/incidents/${incidentId}`);
    // Planned at intake: the answer and the start request already carry the due instant.
    const { due } = lastFridayAfternoon();
    expect(opened.body).toMatchObject({
      dueAt: due.toUTC().toISO(),
      dueLabel: `IHR due ${due.toFormat('ccc d LLL')} 14:00 Europe/Helsinki`,
    });
    const atStart = await stack.client.workflow.getHandle(incidentWorkflowId(incidentId)).describe();
    expect(atStart.typedSearchAttributes.get(SA.ihrDueAt)).toEqual(due.toJSDate());

    const status = await eventually(async () => {
      const res = await stack.http('GET', `/v1/incidents/${incidentId}`);
      return res.body?.ihr ? res.body : undefined;
    });
    // SP2 Sev 3: 16 business hours from Friday 16:00 Helsinki -> Tuesday 14:00.
    const state = due.toMillis() > Date.now() ? 'pending' : 'breached';
    expect(status).toMatchObject({
      incidentId,
      state,
      planId: 'SP2',
      severity: 3,
      policyVersion: stack.policy.version,
    });
    expect(status.ihr.dueAt).toBe(due.toUTC().toISO());
    expect(status.ihr.dueLabel).toBe(`IHR due ${due.toFormat('ccc d LLL')} 14:00 Europe/Helsinki`);

    const listed = await eventually(async () => {
      for await (const wf of stack.client.workflow.list({
        query: `SlaState = "${state}" AND SlaAccountId = "acme" AND SlaPlan = "SP2"`,
      })) {
        if (wf.workflowId === incidentWorkflowId(incidentId)) return wf;
      }
      return undefined;
    });
    expect(listed.searchAttributes).toBeDefined();
    const description = await stack.client.workflow.getHandle(incidentWorkflowId(incidentId)).describe();
    expect(await description.staticSummary()).toContain('SP2 Sev 3');
    expect(description.typedSearchAttributes.get(SA.ihrDueAt)).toEqual(due.toJSDate());
  });

  it('returns the same incident for a retried request and 409 for a reused key with another body', async () => {
    const first = await stack.http('POST', '/v1/incidents', validIncident(), {
      headers: { 'Idempotency-Key': 'retry-1' },
    });
    const again = await stack.http('POST', '/v1/incidents', validIncident(), {
      headers: { 'Idempotency-Key': 'retry-1' },
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.incidentId).toBe(first.body.incidentId);
    expect(again.body.dueAt).toBe(first.body.dueAt);
    const other = await stack.http(
      'POST',
      '/v1/incidents',
      { ...validIncident(), severity: 1 },
      { headers: { 'Idempotency-Key': 'retry-1' } },
    );
    expect(other.status).toBe(409);
    expect(other.body.errors[0].field).toBe('Idempotency-Key');
  });

  it('accepts a contact registered a moment ago through another path (a cached account is re-read before a rejection)', async () => {
    expect((await stack.http('POST', '/v1/incidents', validIncident())).status).toBe(201); // the account is now cached
    const accounts = stack.client.workflow.getHandle(accountWorkflowId('acme'));
    // As another API replica would: straight to the account workflow, so this API's cache is not told.
    await accounts.executeUpdate(registerContactUpdate, {
      args: [
        {
          contact: { contactId: 'C-ACME-LATE', name: 'Late', email: 'late@acme.example', phone: null },
          actor: 'admin:other-replica',
          planId: 'SP2',
          maxContacts: 4,
        },
      ],
    });
    const opened = await stack.http('POST', '/v1/incidents', { ...validIncident(), contactId: 'C-ACME-LATE' });
    expect(opened.status).toBe(201);
    expect(
      (await stack.http('POST', '/v1/incidents', { ...validIncident(), contactId: 'C-NOBODY' })).body.errors[0],
    ).toMatchObject({ field: 'contactId', rule: 'registered' });
  });

  it('scopes Idempotency-Keys to the account: the same key on two accounts opens two incidents', async () => {
    const headers = { 'Idempotency-Key': 'shared-key' };
    const acme = await stack.http('POST', '/v1/incidents', validIncident(), { headers });
    const basic = await stack.http(
      'POST',
      '/v1/incidents',
      { ...validIncident(), accountId: 'basic', contactId: 'C-BASIC-1' },
      { headers },
    );
    expect([acme.status, basic.status]).toEqual([201, 201]);
    expect(basic.body.incidentId).not.toBe(acme.body.incidentId);
  });

  const badBodies: Array<[string, (b: Record<string, unknown>) => unknown, number, string, string]> = [
    ['missing summary', ({ summary: _s, ...b }) => b, 400, 'summary', 'required'],
    ['severity 7', (b) => ({ ...b, severity: 7 }), 400, 'severity', 'max'],
    ['severity as text', (b) => ({ ...b, severity: 'high' }), 400, 'severity', 'type'],
    ['fractional priority', (b) => ({ ...b, priority: 1.5 }), 400, 'priority', 'type'],
    ['unknown field', (b) => ({ ...b, colour: 'red' }), 400, 'colour', 'unknown'],
    ['bad channel', (b) => ({ ...b, channel: 'fax' }), 400, 'channel', 'enum'],
    ['oversized summary', (b) => ({ ...b, summary: 'x'.repeat(201) }), 400, 'summary', 'max'],
    ['bad enteredAt', (b) => ({ ...b, enteredAt: 'yesterday' }), 400, 'enteredAt', 'format'],
    [
      'enteredAt in the future',
      (b) => ({ ...b, enteredAt: new Date(Date.now() + 3600_000).toISOString() }),
      422,
      'enteredAt',
      'notInFuture',
    ],
    [
      'enteredAt 31 days back',
      (b) => ({ ...b, enteredAt: new Date(Date.now() - 31 * 86400_000).toISOString() }),
      422,
      'enteredAt',
      'maxAge',
    ],
    ['unknown account', (b) => ({ ...b, accountId: 'nobody' }), 422, 'accountId', 'exists'],
    ['unregistered contact', (b) => ({ ...b, contactId: 'C-NOBODY' }), 422, 'contactId', 'registered'],
    [
      'SP3 by phone',
      (b) => ({ ...b, accountId: 'basic', contactId: 'C-BASIC-1', channel: 'phone' }),
      422,
      'channel',
      'planChannel',
    ],
    ['body is an array', () => [1, 2], 400, '', 'type'],
  ];

  it.each(badBodies)('rejects %s as problem+json naming the field', async (_name, mutate, status, field, rule) => {
    const res = await stack.http('POST', '/v1/incidents', mutate(validIncident()));
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.status).toBe(status);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: field || 'body', rule })]),
    );
  });

  it('names the plan when a channel is not included', async () => {
    const res = await stack.http('POST', '/v1/incidents', {
      ...validIncident(),
      accountId: 'basic',
      contactId: 'C-BASIC-1',
      channel: 'phone',
    });
    expect(res.body.errors[0].message).toContain('SP3');
  });

  it('accepts a Sev 1 by email with a warning naming the recommended channel', async () => {
    const res = await stack.http('POST', '/v1/incidents', { ...validIncident(), severity: 1, channel: 'email' });
    expect(res.status).toBe(201);
    expect(res.body.warnings).toEqual([expect.objectContaining({ field: 'channel', rule: 'recommendedChannel' })]);
    expect(res.body.warnings[0].message).toContain('phone');
  });

  it('rejects malformed JSON, oversized bodies, bad ids and unknown incidents without a 500', async () => {
    const malformed = await stack.http('POST', '/v1/incidents', '{"accountId":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0]).toMatchObject({ field: 'body', rule: 'json' });
    const huge = await stack.http('POST', '/v1/incidents', { ...validIncident(), description: 'x'.repeat(300_000) });
    expect(huge.status).toBe(413);
    const badId = await stack.http('GET', '/v1/incidents/not-an-id');
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].field).toBe('id');
    const missing = await stack.http('GET', '/v1/incidents/INC-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers a request whose headers exceed 16 kB with a 431 problem, before any route', async () => {
    // Plain fetch: the answer comes from the HTTP parser, outside every documented operation.
    const res = await fetch(`${stack.baseUrl}/v1/plans`, {
      headers: { authorization: `Bearer ${stack.keys.token.admin}`, 'x-padding': 'x'.repeat(20_000) },
    });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 431, title: 'Request header fields too large' });
  });

  it('keeps the incident running and queryable across a worker restart', async () => {
    const opened = await stack.http('POST', '/v1/incidents', validIncident(), {
      headers: { 'Idempotency-Key': 'restart-1' },
    });
    const { incidentId } = opened.body;
    await eventually(async () =>
      (await stack.http('GET', `/v1/incidents/${incidentId}`)).body?.ihr ? true : undefined,
    );
    await stack.stopWorker();
    const handle = stack.client.workflow.getHandle(incidentWorkflowId(incidentId));
    // An incident's workflow runs until it is resolved, breached or not.
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await stack.startWorker();
    const after = await stack.http('GET', `/v1/incidents/${incidentId}`);
    expect(after.status).toBe(200);
    expect(after.body.incidentId).toBe(incidentId);
    expect(after.body.ihr).not.toBeNull();
  });
});

describe('npm run keys on the file the API reads', () => {
  // Asynchronous: the API answers from this same process, so the event loop must keep running.
  const keys = async (...args: string[]) =>
    (
      await promisify(execFile)(
        process.execPath,
        [
          join(__dirname, '../../scripts/ts-run.js'),
          join(__dirname, '../../scripts/keys.ts'),
          ...args,
          '--file',
          stack.keys.path,
        ],
        { encoding: 'utf8' },
      )
    ).stdout;
  const secretOf = (output: string) => /^sla_\S+$/m.exec(output)![0];
  const plansAs = async (key: string) =>
    (
      await createSlaClient({ baseUrl: stack.baseUrl, apiKey: key, fetch: checkedFetch(() => stack.contract) }).GET(
        '/v1/plans',
      )
    ).response.status;
  const statusWithin = async (key: string, status: number) =>
    eventually(async () => ((await plansAs(key)) === status ? status : undefined), 5_000);

  it('creates a key that works at once, lists it without its secret, rotates it and revokes it (401 after)', async () => {
    const created = await keys(
      'create',
      '--role',
      'customer',
      '--account',
      'acme',
      '--contact',
      'C-ACME-1',
      '--id',
      'cli-acme',
    );
    const key = secretOf(created);
    expect(await statusWithin(key, 200)).toBe(200);
    const listed = await keys('list');
    expect(listed).toMatch(/^cli-acme\tcustomer\taccount=acme contact=C-ACME-1$/m);
    expect(listed).not.toContain(key);
    expect(listed).not.toMatch(/[0-9a-f]{64}/);

    const rotated = secretOf(await keys('rotate', 'cli-acme'));
    expect(await statusWithin(rotated, 200)).toBe(200);
    expect(await statusWithin(key, 401)).toBe(401);

    await keys('revoke', 'cli-acme');
    expect(await statusWithin(rotated, 401)).toBe(401);
    expect(await keys('list')).not.toContain('cli-acme');
  });
});
