import { DateTime } from 'luxon';
import { openPollRespond } from '../../libs/client/src/example';
import type { Schemas } from '../../libs/client/src';
import { incidentWorkflowId } from '../../libs/contracts/src';
import { checkedFetch } from '../support/contract';
import { startTestStack, TestStack } from '../support/stack';
import { testPolicy } from '../support/temporal';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { HOOK_SECRET, HOOK_SECRET_ENV } from '../workflows/helpers';

/**
 * The incident lifecycle over real HTTP on a real dev server, with a real webhook receiver that
 * verifies signatures. Calls go through the typed client (libs/client); the bad-input cases at the
 * end use raw HTTP, since they send what the client's types would not let through. Timers are real here, so the test
 * policy shortens SPE targets to seconds
 * (24x7) and incidents are backdated: ladder steps fall due a few seconds into the test.
 */
let stack: TestStack;
let receiver: WebhookReceiver;
const TAM = 'jane.doe'; // a TAM of config/people.yaml
const TAM_EMAIL = 'jane.doe@vendor.example';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(200);
  }
}

const deliveriesOf = (incidentId: string) =>
  receiver.deliveries().filter((d) => d.body?.data?.incidentId === incidentId);
const eventsOf = (incidentId: string) => deliveriesOf(incidentId).map((d) => d.body.type);

type Severity = Schemas['Severity'];

async function open(severity: Severity, enteredAgoMs: number, key?: string) {
  const { data, error, response } = await stack.sla().POST('/v1/incidents', {
    params: { header: key ? { 'Idempotency-Key': key } : {} },
    body: {
      accountId: 'acme',
      contactId: 'C-ACME-1',
      severity,
      priority: 3,
      channel: 'portal',
      product: 'Engine',
      productVersion: '4.2',
      summary: `Sev ${severity} e2e`,
      description: 'e2e',
      enteredAt: new Date(Date.now() - enteredAgoMs).toISOString(),
    },
  });
  if (!data) throw new Error(`open answered ${response.status}: ${JSON.stringify(error)}`);
  return { status: response.status, body: data };
}

/** The full status, as staff keys read it (not degraded, not the customer view). */
const isFullStatus = (data: Schemas['Incident'] | undefined): data is Schemas['IncidentStatus'] =>
  data !== undefined && 'deliveryFailures' in data;

/** The full status (not degraded) of an incident, read with the typed client (as admin). */
async function statusOf(incidentId: string): Promise<Schemas['IncidentStatus']> {
  const { data } = await stack.sla().GET('/v1/incidents/{id}', { params: { path: { id: incidentId } } });
  if (!isFullStatus(data)) throw new Error(`${incidentId}: no full status (${JSON.stringify(data)})`);
  return data;
}

const byAgent = () => stack.sla('agent');
const path = (id: string) => ({ params: { path: { id } } });

beforeAll(async () => {
  receiver = await startWebhookReceiver(HOOK_SECRET);
  process.env[HOOK_SECRET_ENV] = HOOK_SECRET;
  const policy = testPolicy((doc) => {
    doc.plans.SPE.targets = { sev1: '20s', sev2: '40s', sev3: '30s', sev4: '60s' };
    doc.subscribers = [{ id: 'e2e', url: receiver.url, secretEnv: HOOK_SECRET_ENV, events: ['*'] }];
  });
  stack = await startTestStack(policy);
  expect(
    (
      await stack.http('POST', '/v1/accounts', {
        id: 'acme',
        name: 'Acme',
        type: 'customer',
        plan: 'SPE',
        supportCenter: 'emea',
        contractStart: '2025-01-01',
        tamId: TAM,
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await stack.http('POST', '/v1/accounts/acme/contacts', {
        contactId: 'C-ACME-1',
        name: 'Ann',
        email: 'ann@acme.example',
      })
    ).status,
  ).toBe(201);
});

afterAll(async () => {
  await stack?.teardown();
  await receiver?.close();
});

describe('incident lifecycle over HTTP', () => {
  it('escalates once per step, survives a worker restart between steps, answers in full while down, then responds, reclassifies and resolves', async () => {
    // SPE Sev 3 = 30 s (24x7): entered 10 s ago, so warn (50 %) is due in 5 s, at-risk in 12.5 s, breach in 20 s.
    const opened = await open(3, 10_000, 'lifecycle-1');
    expect(opened.status).toBe(201);
    const { incidentId } = opened.body;
    const enteredAt = Date.now() - 10_000;

    await until(() => eventsOf(incidentId).includes('ihr.warning'), 20_000, 'warning delivered');
    const read = () => statusOf(incidentId);
    const beforeStop = await until(
      async () => {
        const body = await read();
        return body.ladder.fired[0]?.delivery === 'delivered' ? body : undefined;
      },
      10_000,
      'warning settled',
    );
    await stack.stopWorker();
    // The workflow keeps its status in the memo: the read needs no worker and loses nothing.
    const { remainingBusinessMs: leftBefore, ...statusBefore } = beforeStop;
    const { remainingBusinessMs: leftWhileDown, ...statusWhileDown } = await read();
    expect(statusWhileDown).toEqual(statusBefore);
    expect(statusWhileDown).toMatchObject({ incidentId, state: 'pending', accountId: 'acme', severity: 3 });
    expect(leftWhileDown!).toBeLessThanOrEqual(leftBefore!);
    // Stay down past the at-risk instant, then come back.
    await sleep(Math.max(0, enteredAt + 24_000 - Date.now()));
    await stack.startWorker();

    await until(() => eventsOf(incidentId).includes('ihr.breached'), 30_000, 'breach delivered');
    // The webhook leaves during the workflow task that records the breach (a local activity), so the
    // memo that GET reads may show it a moment after the receiver got it. statusOf refuses a degraded answer.
    const status = await until(
      async () => {
        const body = await statusOf(incidentId);
        return body.state === 'breached' ? body : undefined;
      },
      10_000,
      'breach in the status',
    );
    expect(status.state).toBe('breached');
    expect(status.ladder.fired.map((s) => s.id)).toEqual(['warn', 'at_risk', 'breach']);
    for (const step of status.ladder.fired)
      expect(Date.parse(step.firedAt)).toBeGreaterThanOrEqual(Date.parse(step.at));

    // Exactly once per step: one webhook-id per step, every delivery signed; a repeat could only be a retry of the same
    // id.
    const ids = deliveriesOf(incidentId).map((d) => d.id);
    expect([...new Set(ids)].sort()).toEqual([
      `${incidentId}.0.at_risk`,
      `${incidentId}.0.breach`,
      `${incidentId}.0.warn`,
    ]);
    expect(receiver.received.filter((r) => r.body?.data?.incidentId === incidentId).every((r) => r.verified)).toBe(
      true,
    );
    const breach = deliveriesOf(incidentId).find((d) => d.body.type === 'ihr.breached')!;
    expect(breach.body.data).toMatchObject({ incidentId, accountId: 'acme', planId: 'SPE', severity: 3, priority: 3 });
    expect(breach.body.data.recipients).toEqual(expect.arrayContaining([{ role: 'tam', address: TAM_EMAIL }]));

    // The first human response after the due instant settles the IHR as breached.
    const response = await byAgent().POST('/v1/incidents/{id}/responses', {
      ...path(incidentId),
      body: { kind: 'solution', responder: 'eve@vendor.example' },
    });
    expect(response.response.status).toBe(200);
    expect(response.data).toMatchObject({ ihr: true, outcome: 'breached' });

    const reclassified = await byAgent().POST('/v1/incidents/{id}/severity', {
      ...path(incidentId),
      body: { severity: 4, reason: 'cosmetic after all' },
    });
    expect(reclassified.response.status).toBe(200);
    expect(Date.parse(reclassified.data!.dueAt) - enteredAt).toBeGreaterThan(55_000);

    expect(
      (await stack.sla('acme').POST('/v1/incidents/{id}/priority', { ...path(incidentId), body: { priority: 1 } }))
        .response.status,
    ).toBe(202);
    await until(async () => (await statusOf(incidentId)).priority === 1, 10_000, 'priority changed');

    const resolved = await byAgent().POST('/v1/incidents/{id}/resolve', {
      ...path(incidentId),
      body: { summary: 'patched' },
    });
    expect(resolved.response.status).toBe(200);
    const handle = stack.client.workflow.getHandle(incidentWorkflowId(incidentId));
    await handle.result();
    const final = await statusOf(incidentId);
    expect(final.state).toBe('breached');
    expect(final.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['opened', 'response.recorded', 'severity.changed', 'priority.changed', 'resolved']),
    );
    const again = await byAgent().POST('/v1/incidents/{id}/resolve', {
      ...path(incidentId),
      body: { summary: 'again' },
    });
    expect(again.response.status).toBe(409);
    const lateResponse = await byAgent().POST('/v1/incidents/{id}/responses', {
      ...path(incidentId),
      body: { kind: 'solution' },
    });
    expect(lateResponse.response.status).toBe(409);
    expect(lateResponse.error?.errors?.[0]).toMatchObject({ field: 'incident', rule: 'open' });
  });

  it('answers degraded until a worker ran a new incident (its status is not in the memo yet), in full after', async () => {
    await stack.stopWorker();
    let opened;
    try {
      opened = await open(4, 0);
      expect(opened.status).toBe(201);
      const degraded = await stack.http('GET', `/v1/incidents/${opened.body.incidentId}`);
      expect(degraded.status).toBe(200);
      expect(degraded.body).toMatchObject({
        incidentId: opened.body.incidentId,
        degraded: true,
        state: 'pending',
        accountId: 'acme',
        severity: 4,
        ihrDueAt: opened.body.dueAt,
      });
    } finally {
      await stack.startWorker();
    }
    const { incidentId, dueAt } = opened.body;
    const full = await until(
      async () => {
        const body = (await stack.http('GET', `/v1/incidents/${incidentId}`)).body;
        return body.degraded ? undefined : body;
      },
      20_000,
      'read in full',
    );
    expect(full).toMatchObject({
      incidentId,
      state: 'pending',
      ihr: { dueAt },
      remainingBusinessMs: expect.any(Number),
    });
    expect(full.timeline.map((e: { type: string }) => e.type)).toEqual(['opened', 'clock.planned']);
    expect(
      (await stack.http('POST', `/v1/incidents/${incidentId}/resolve`, { summary: 'test done' }, { as: 'agent' }))
        .status,
    ).toBe(200);
  });

  it('meets the IHR with a prompt response and stops the ladder', async () => {
    const { incidentId } = (await open(4, 0)).body;
    const response = await byAgent().POST('/v1/incidents/{id}/responses', {
      ...path(incidentId),
      body: { kind: 'information_request' },
    });
    expect(response.response.status).toBe(200);
    expect(response.data).toMatchObject({ ihr: true, outcome: 'met' });
    const status = await statusOf(incidentId);
    expect(status.state).toBe('met');
    expect(status.ladder.pending).toEqual([]);
    expect(status.remainingBusinessMs).toBeNull();
    const second = await byAgent().POST('/v1/incidents/{id}/responses', {
      ...path(incidentId),
      body: { kind: 'solution' },
    });
    expect(second.data).toMatchObject({ ihr: false });
  });

  it('breaches at once when a reclassification 4 -> 1 puts the due instant in the past', async () => {
    // Sev 4 = 60 s, entered 30 s ago: pending. Sev 1 = 20 s from entry: already past.
    const { incidentId } = (await open(4, 30_000)).body;
    const reclassified = await byAgent().POST('/v1/incidents/{id}/severity', {
      ...path(incidentId),
      body: { severity: 1, reason: 'production down' },
    });
    expect(reclassified.response.status).toBe(200);
    expect(Date.parse(reclassified.data!.dueAt)).toBeLessThan(Date.now());
    await until(() => eventsOf(incidentId).includes('ihr.breached'), 15_000, 'breach after reclassification');
    expect((await statusOf(incidentId)).state).toBe('breached');
  });

  it('lists incidents by state and account, and reports compliance', async () => {
    const breached = await until(
      async () => {
        const { data } = await stack
          .sla()
          .GET('/v1/incidents', { params: { query: { state: 'breached', account: 'acme' } } });
        return data && data.items.length >= 2 ? data.items : undefined;
      },
      15_000,
      'breached incidents listed',
    );
    expect(breached.every((i) => i.state === 'breached' && i.accountId === 'acme')).toBe(true);
    const mine = await stack.sla('acme').GET('/v1/incidents');
    expect(mine.response.status).toBe(200);
    expect(mine.data!.items.every((i) => i.accountId === 'acme')).toBe(true);
    expect(
      (await stack.sla('globex').GET('/v1/incidents', { params: { query: { account: 'acme' } } })).response.status,
    ).toBe(404);

    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const report = await until(
      async () => {
        const { data } = await byAgent().GET('/v1/reports/ihr', {
          params: { query: { from, to, groupBy: 'severity' } },
        });
        return data && data.totals.met >= 1 && data.totals.breached >= 2 ? data : undefined;
      },
      15_000,
      'report counts',
    );
    expect(report.groupBy).toBe('severity');
    expect(report.breaches.length).toBe(report.totals.breached);
    expect(report.totals.compliancePct).toBeCloseTo(
      (report.totals.met / (report.totals.met + report.totals.breached)) * 100,
      0,
    );
    expect((await stack.sla('acme').GET('/v1/reports/ihr')).response.status).toBe(403);
  });
});

describe('who may set enteredAt (issue 14, item 4)', () => {
  const body = (extra: Record<string, unknown> = {}) => ({
    accountId: 'acme',
    contactId: 'C-ACME-1',
    severity: 4,
    priority: 4,
    channel: 'portal',
    product: 'Engine',
    productVersion: '4.2',
    summary: 'enteredAt rule',
    description: 'e2e',
    ...extra,
  });
  const past = () => new Date(Date.now() - 60_000).toISOString();

  it('refuses enteredAt from a customer key with 403 naming the field and the rule', async () => {
    const res = await stack.http('POST', '/v1/incidents', body({ enteredAt: past() }), {
      as: 'acme',
      headers: { 'Idempotency-Key': 'entered-by-customer' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'enteredAt', rule: 'agentOrAdminOnly' })]);
  });

  it('takes enteredAt from agent and admin keys', async () => {
    for (const as of ['agent', 'admin'] as const) {
      const enteredAt = past();
      const res = await stack.http('POST', '/v1/incidents', body({ enteredAt }), { as });
      expect(res.status).toBe(201);
      const status = await until(
        async () => {
          const read = await stack.http('GET', `/v1/incidents/${res.body.incidentId}`, undefined, { as: 'agent' });
          return read.body.degraded ? undefined : read.body;
        },
        20_000,
        'read in full',
      );
      expect(Date.parse(status.enteredAt)).toBe(Date.parse(enteredAt));
    }
  });

  it('keeps idempotent retries of a customer key without enteredAt working', async () => {
    const headers = { 'Idempotency-Key': `customer-retry-${Date.now()}` };
    const first = await stack.http('POST', '/v1/incidents', body(), { as: 'acme', headers });
    const retry = await stack.http('POST', '/v1/incidents', body(), { as: 'acme', headers });
    expect([first.status, retry.status]).toEqual([201, 200]);
    expect(retry.body.incidentId).toBe(first.body.incidentId);
  });

  it('takes a retry that names the same entry instant, written another way; another instant under the key is 409', async () => {
    const headers = { 'Idempotency-Key': `agent-entered-${Date.now()}` };
    const enteredAt = new Date(Math.floor((Date.now() - 120_000) / 1000) * 1000);
    const first = await stack.http('POST', '/v1/incidents', body({ enteredAt: enteredAt.toISOString() }), {
      as: 'agent',
      headers,
    });
    expect(first.status).toBe(201);
    // The same instant with an offset and no milliseconds is the same request.
    const sameInstant = DateTime.fromJSDate(enteredAt).setZone('UTC+2').toISO({ suppressMilliseconds: true })!;
    const retry = await stack.http('POST', '/v1/incidents', body({ enteredAt: sameInstant }), { as: 'agent', headers });
    expect(retry.status).toBe(200);
    expect(retry.body.incidentId).toBe(first.body.incidentId);
    const moved = new Date(enteredAt.getTime() - 60_000).toISOString();
    const other = await stack.http('POST', '/v1/incidents', body({ enteredAt: moved }), { as: 'agent', headers });
    expect(other.status).toBe(409);
    expect(other.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key', rule: 'sameBody' })]);
  });
});

describe('the customer view (issue 14, item 12)', () => {
  /** Every key and every string value of a JSON value, walked in full. */
  const walk = (value: unknown, keys = new Set<string>(), strings: string[] = []) => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) for (const v of value) walk(v, keys, strings);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        keys.add(k);
        walk(v, keys, strings);
      }
    }
    return { keys, strings };
  };

  it('a customer key reads an incident that went through delivered escalation steps without recipients, subscriber ids, key ids or delivery internals; an agent sees them', async () => {
    // SPE Sev 3 = 30 s (24x7): entered 25 s ago, so warn and at-risk are due at once and the breach (supportManager,
    // tam) in 5 s.
    const { incidentId } = (await open(3, 25_000)).body;
    await until(
      async () => {
        const body = await statusOf(incidentId);
        return body.ladder.fired.some((s) => s.id === 'breach' && s.delivery === 'delivered') ? body : undefined;
      },
      30_000,
      'breach delivered',
    );
    // A response without a responder records the key (`agent:agent`); a priority change by the customer key records it
    // too.
    expect(
      (await byAgent().POST('/v1/incidents/{id}/responses', { ...path(incidentId), body: { kind: 'solution' } }))
        .response.status,
    ).toBe(200);
    expect(
      (await stack.sla('acme').POST('/v1/incidents/{id}/priority', { ...path(incidentId), body: { priority: 1 } }))
        .response.status,
    ).toBe(202);
    // The agent sees everything: addresses, subscriber ids, webhook ids, attempts, key ids.
    const full = await until(
      async () => {
        const { data } = await byAgent().GET('/v1/incidents/{id}', path(incidentId));
        return isFullStatus(data) && data.priority === 1 && data.responses.length === 1 ? data : undefined;
      },
      15_000,
      'response and priority in the full status',
    );
    const reports = full.ladder.fired.map((s) => s.report).filter((r) => r !== undefined);
    const addresses = reports.flatMap((r) => r.recipients.map((x) => x.address));
    const targets = reports.flatMap((r) => r.delivered);
    const webhookIds = full.ladder.fired.map((s) => s.webhookId);
    expect(addresses).toContain(TAM_EMAIL);
    expect(targets).toContain('e2e');
    expect(full.responses[0].responder).toBe('agent:agent');
    expect(full.timeline.some((e) => e.actor === 'customer:acme')).toBe(true);

    // The customer: the same incident (through the typed client, so the answer matches the document) with none of it.
    const { data: mine, response } = await stack.sla('acme').GET('/v1/incidents/{id}', path(incidentId));
    expect(response.status).toBe(200);
    expect(mine).toMatchObject({ incidentId, state: 'breached', priority: 1, severity: 3 });
    const { keys, strings } = walk(mine);
    for (const key of [
      'webhookId',
      'report',
      'recipients',
      'delivered',
      'attempt',
      'unreached',
      'deliveryFailures',
      'failedSubscribers',
      'error',
    ]) {
      expect([key, keys.has(key)]).toEqual([key, false]);
    }
    const leaks = strings.filter(
      (s) =>
        targets.includes(s) ||
        [...addresses, ...webhookIds, 'agent:agent', 'customer:acme', 'admin:admin'].some((secret) =>
          s.includes(secret),
        ) ||
        /^(admin|agent|tam|customer):/.test(s),
    );
    expect(leaks).toEqual([]);
    // What it may know stays: the steps that fired, the response and who of the vendor made it (by role).
    expect((mine as { ladder: { fired: Array<{ id: string }> } }).ladder.fired.map((s) => s.id)).toEqual([
      'warn',
      'at_risk',
      'breach',
    ]);
    expect((mine as { responses: Array<{ responder: string }> }).responses).toEqual([
      expect.objectContaining({ kind: 'solution', responder: 'agent', ihr: true }),
    ]);
  });
});

describe('the timeline is bounded in the status and whole through its paged read (issue 14, item 6)', () => {
  it('shows the last 20 entries with the total; GET …/timeline pages every entry, oldest first', async () => {
    const { body } = await open(4, 0);
    const { incidentId } = body;
    for (let i = 1; i <= 30; i++) {
      const body = { priority: i % 2 ? 1 : 2 } as const;
      const sent = await stack.sla('acme').POST('/v1/incidents/{id}/priority', { ...path(incidentId), body });
      expect(sent.response.status).toBe(202);
    }
    const status = await until(
      async () => {
        const s = await statusOf(incidentId);
        return s.timelineTotal !== undefined && s.timelineTotal >= 32 ? s : undefined;
      },
      20_000,
      'every change in the status',
    );
    expect(status.timelineTruncated).toBe(true);
    expect(status.timeline).toHaveLength(20);

    const entries: Schemas['TimelinePage']['entries'] = [];
    let pageToken: string | undefined;
    do {
      const query = { pageSize: 7, ...(pageToken ? { pageToken } : {}) };
      const params = { path: { id: incidentId }, query };
      const { data } = await stack.sla().GET('/v1/incidents/{id}/timeline', { params });
      expect(data!.total).toBe(status.timelineTotal);
      entries.push(...data!.entries);
      pageToken = data!.nextPageToken;
    } while (pageToken);
    expect(entries).toHaveLength(status.timelineTotal!);
    expect(entries[0].type).toBe('opened');
    expect(entries.filter((e) => e.type === 'priority.changed')).toHaveLength(30);
    expect(entries.slice(-20)).toEqual(status.timeline);

    // The customer reads its own incident's timeline as its view of the status shows it: no key ids.
    const customerPage = await stack
      .sla('acme')
      .GET('/v1/incidents/{id}/timeline', { params: { path: { id: incidentId } } });
    expect(customerPage.data!.entries.filter((e) => e.type === 'priority.changed')).toHaveLength(30);
    expect(customerPage.data!.entries.filter((e) => e.actor?.includes(':'))).toEqual([]);
    expect(entries.some((e) => e.actor === 'customer:acme')).toBe(true);

    const raw = (q: string, as: 'acme' | 'globex' = 'acme') =>
      stack.http('GET', `/v1/incidents/${incidentId}/timeline?${q}`, undefined, { as });
    expect((await raw('pageSize=0')).status).toBe(400);
    expect((await raw('pageToken=abc')).status).toBe(400);
    expect((await raw('', 'globex')).status).toBe(404);
  });
});

describe('the typed client README example', () => {
  it('opens an incident, polls its status and records the response, every answer matching the document', async () => {
    await stack.sla().POST('/v1/accounts/{id}/contacts', {
      params: { path: { id: 'acme' } },
      body: { contactId: 'C1', name: 'Carl', email: 'carl@acme.example' },
    });
    const result = await openPollRespond(
      stack.baseUrl,
      stack.keys.token.agent,
      'readme-example',
      checkedFetch(() => stack.contract),
    );
    expect(result.incidentId).toMatch(/^INC-/);
    expect(result.status).toMatchObject({ incidentId: result.incidentId, ihr: { dueAt: result.dueAt } });
    expect(result.outcome).toBe('met');
  });
});

describe('bad input on incident endpoints is problem+json naming the field', () => {
  let incidentId: string;
  beforeAll(async () => {
    incidentId = (await open(4, 0)).body.incidentId;
  });

  const cases: Array<[string, string, (id: string) => string, unknown, number, string, string]> = [
    ['response: unknown kind', 'POST', (id) => `/v1/incidents/${id}/responses`, { kind: 'email' }, 400, 'kind', 'enum'],
    [
      'response: automated acknowledgement',
      'POST',
      (id) => `/v1/incidents/${id}/responses`,
      { kind: 'acknowledgement' },
      422,
      'kind',
      'humanResponse',
    ],
    [
      'response: respondedAt not an instant',
      'POST',
      (id) => `/v1/incidents/${id}/responses`,
      { kind: 'solution', respondedAt: 'now' },
      400,
      'respondedAt',
      'format',
    ],
    [
      'response: respondedAt in the future',
      'POST',
      (id) => `/v1/incidents/${id}/responses`,
      { kind: 'solution', respondedAt: new Date(Date.now() + 3600_000).toISOString() },
      422,
      'respondedAt',
      'notInFuture',
    ],
    [
      'response: before entry',
      'POST',
      (id) => `/v1/incidents/${id}/responses`,
      { kind: 'solution', respondedAt: '2020-01-01T00:00:00Z' },
      422,
      'respondedAt',
      'afterEntry',
    ],
    [
      'severity: 7',
      'POST',
      (id) => `/v1/incidents/${id}/severity`,
      { severity: 7, reason: 'x' },
      400,
      'severity',
      'max',
    ],
    // Issue 14, item 16: the upper bound is 4, so 5 is refused (a bound moved to 5 fails here and in
    // incident.schemas.spec.ts).
    [
      'severity: 5',
      'POST',
      (id) => `/v1/incidents/${id}/severity`,
      { severity: 5, reason: 'x' },
      400,
      'severity',
      'max',
    ],
    [
      'intake: severity 5',
      'POST',
      () => '/v1/incidents',
      {
        accountId: 'acme',
        contactId: 'C-ACME-1',
        severity: 5,
        priority: 3,
        channel: 'portal',
        product: 'Engine',
        productVersion: '4.2',
        summary: 's',
        description: 'd',
      },
      400,
      'severity',
      'max',
    ],
    [
      'severity: missing reason',
      'POST',
      (id) => `/v1/incidents/${id}/severity`,
      { severity: 2 },
      400,
      'reason',
      'required',
    ],
    [
      'severity: unchanged',
      'POST',
      (id) => `/v1/incidents/${id}/severity`,
      { severity: 4, reason: 'same' },
      409,
      'severity',
      'changed',
    ],
    ['priority: 0', 'POST', (id) => `/v1/incidents/${id}/priority`, { priority: 0 }, 400, 'priority', 'min'],
    ['resolve: missing summary', 'POST', (id) => `/v1/incidents/${id}/resolve`, {}, 400, 'summary', 'required'],
    [
      'resolve: unknown field',
      'POST',
      (id) => `/v1/incidents/${id}/resolve`,
      { summary: 'x', fixed: true },
      400,
      'fixed',
      'unknown',
    ],
    ['list: severity 9', 'GET', () => '/v1/incidents?severity=9', undefined, 400, 'severity', 'max'],
    ['list: state bogus', 'GET', () => '/v1/incidents?state=bogus', undefined, 400, 'state', 'enum'],
    [
      'list: dueBefore not an instant',
      'GET',
      () => '/v1/incidents?dueBefore=monday',
      undefined,
      400,
      'dueBefore',
      'format',
    ],
    ['report: groupBy colour', 'GET', () => '/v1/reports/ihr?groupBy=colour', undefined, 400, 'groupBy', 'enum'],
    [
      'report: to before from',
      'GET',
      () => '/v1/reports/ihr?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      undefined,
      400,
      'to',
      'invalid',
    ],
  ];

  it.each(cases)('%s', async (_name, method, path, body, status, field, rule) => {
    const res = await stack.http(method, path(incidentId), body, { as: 'agent' });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
  });

  it.each([
    ['GET', 'unknown incident', '/v1/incidents/INC-000000000000', 404],
    ['POST', 'response on an unknown incident', '/v1/incidents/INC-000000000000/responses', 404],
    ['GET', 'malformed incident id', '/v1/incidents/abc', 400],
  ])('%s %s -> %s', async (method, _name, path, status) => {
    const res = await stack.http(method, path, method === 'POST' ? { kind: 'solution' } : undefined, { as: 'agent' });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
