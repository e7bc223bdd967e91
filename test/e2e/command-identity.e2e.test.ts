import { accountBody, incidentBody, openIncidentInFull } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';
import { shortWorkerWait } from '../support/worker-wait';

/**
 * Issue 14, items 2 and 3: what makes a retried command the same command.
 *
 * Item 2: a 503 must never mean "maybe". A command that no worker takes in time answers
 * 503, yet Temporal still holds it and applies it when a worker comes. Without an Idempotency-Key a
 * retry used to be a second command (two responses on the record); now every command has a key (the
 * client's, or one generated for the request) and the 503 returns it, so the retry is the same command.
 *
 * Item 3: Temporal answers a repeated update ID with the first update's result, so a key reused with
 * another body used to return the first command's result as if it were the second's (200). The
 * workflows now echo the body's fingerprint and the API answers 409 on a mismatch.
 */
const WORKER_WAIT_MS = 1_500;

let stack: TestStack;
shortWorkerWait(WORKER_WAIT_MS);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  stack = await startTestStack();
  expect((await stack.http('POST', '/v1/accounts', accountBody('keyco', 'SP2'))).status).toBe(201);
  const contact = { contactId: 'C-KEY-1', name: 'Kim', email: 'kim@keyco.example' };
  expect((await stack.http('POST', '/v1/accounts/keyco/contacts', contact)).status).toBe(201);
});

afterAll(async () => {
  await stack?.teardown();
});

const openIncident = () =>
  openIncidentInFull(
    stack,
    incidentBody('keyco', 'C-KEY-1', { summary: 'Key test', description: 'a 503 and its retry' }),
  );

const responsesOf = async (incidentId: string) =>
  ((await stack.http('GET', `/v1/incidents/${incidentId}`)).body.timeline as Array<{ type: string }>).filter(
    (e) => e.type === 'response.recorded',
  );

describe('a command answered 503 (issue 14, item 2)', () => {
  it('names a generated key; the held command applies once a worker comes, and the retry with the key is the same command', async () => {
    const incidentId = await openIncident();
    const unavailable = await stack.withoutWorker(() =>
      stack.http('POST', `/v1/incidents/${incidentId}/responses`, { kind: 'solution' }, { as: 'agent' }),
    );
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toMatch(/^\d+$/);
    const key = unavailable.headers.get('idempotency-key');
    expect(key).toMatch(/^api-[0-9a-f-]{36}$/);
    expect(unavailable.body).toMatchObject({ status: 503, idempotencyKey: key });

    const retried = await stack.http(
      'POST',
      `/v1/incidents/${incidentId}/responses`,
      { kind: 'solution' },
      {
        as: 'agent',
        headers: { 'Idempotency-Key': key! },
      },
    );
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ ihr: true, outcome: 'met' });
    // Give a duplicate every chance to land before counting.
    await sleep(1_000);
    expect(await responsesOf(incidentId)).toHaveLength(1);
  });

  it("echoes the client's own key on a 503", async () => {
    const incidentId = await openIncident();
    const unavailable = await stack.withoutWorker(() =>
      stack.http(
        'POST',
        `/v1/incidents/${incidentId}/resolve`,
        { summary: 'done' },
        {
          as: 'agent',
          headers: { 'Idempotency-Key': 'helpdesk-4711' },
        },
      ),
    );
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('idempotency-key')).toBe('helpdesk-4711');
    expect(unavailable.body.idempotencyKey).toBe('helpdesk-4711');
    const retried = await stack.http(
      'POST',
      `/v1/incidents/${incidentId}/resolve`,
      { summary: 'done' },
      {
        as: 'agent',
        headers: { 'Idempotency-Key': 'helpdesk-4711' },
      },
    );
    expect(retried.status).toBe(200);
  });
});

describe('an Idempotency-Key reused with another body (issue 14, item 3)', () => {
  const as = { as: 'agent' as const };
  const withKey = (key: string) => ({ ...as, headers: { 'Idempotency-Key': key } });
  const expectKeyConflict = (answer: { status: number; body: { errors?: unknown } }) => {
    expect(answer.status).toBe(409);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key', rule: 'sameBody' })]);
  };

  it('is 409 on responses and severity; the same body again is the same result', async () => {
    const incidentId = await openIncident();
    const url = (what: string) => `/v1/incidents/${incidentId}/${what}`;

    const response = await stack.http('POST', url('responses'), { kind: 'information_request' }, withKey('r-1'));
    expect(response.status).toBe(200);
    expectKeyConflict(await stack.http('POST', url('responses'), { kind: 'solution' }, withKey('r-1')));
    const again = await stack.http('POST', url('responses'), { kind: 'information_request' }, withKey('r-1'));
    expect([again.status, again.body]).toEqual([200, response.body]);
    expect(await responsesOf(incidentId)).toHaveLength(1);

    const severity = await stack.http('POST', url('severity'), { severity: 2, reason: 'wider impact' }, withKey('s-1'));
    expect(severity.status).toBe(200);
    expectKeyConflict(
      await stack.http('POST', url('severity'), { severity: 1, reason: 'wider impact' }, withKey('s-1')),
    );
    expect(
      (await stack.http('POST', url('severity'), { reason: 'wider impact', severity: 2 }, withKey('s-1'))).body,
    ).toEqual(severity.body);
    // Resolve is not here: once resolved, every command on the incident is 409 `incident`/`open`.
  });

  it('makes a priority change with a key a command: 409 on another priority under the key, or once resolved', async () => {
    const incidentId = await openIncident();
    const url = `/v1/incidents/${incidentId}/priority`;
    const first = await stack.http('POST', url, { priority: 1 }, withKey('pr-1'));
    expect(first.status).toBe(202);
    expectKeyConflict(await stack.http('POST', url, { priority: 3 }, withKey('pr-1')));
    expect((await stack.http('POST', url, { priority: 1 }, withKey('pr-1'))).status).toBe(202);
    const timeline = (await stack.http('GET', `/v1/incidents/${incidentId}/timeline`)).body.entries as Array<{
      type: string;
    }>;
    expect(timeline.filter((e) => e.type === 'priority.changed')).toHaveLength(1);
    // Without a key it stays a signal: accepted (202) whatever the workflow makes of it.
    expect((await stack.http('POST', url, { priority: 1 }, as)).status).toBe(202);

    expect((await stack.http('POST', `/v1/incidents/${incidentId}/resolve`, { summary: 'done' }, as)).status).toBe(200);
    const afterResolve = await stack.http('POST', url, { priority: 2 }, withKey('pr-2'));
    expect(afterResolve.status).toBe(409);
  });

  it('is 409 on contact registration and account changes', async () => {
    const contact = { contactId: 'C-KEY-2', name: 'Lee', email: 'lee@keyco.example' };
    const first = await stack.http('POST', '/v1/accounts/keyco/contacts', contact, {
      headers: { 'Idempotency-Key': 'c-1' },
    });
    expect(first.status).toBe(201);
    expectKeyConflict(
      await stack.http(
        'POST',
        '/v1/accounts/keyco/contacts',
        { ...contact, email: 'lee@other.example' },
        { headers: { 'Idempotency-Key': 'c-1' } },
      ),
    );
    const retried = await stack.http('POST', '/v1/accounts/keyco/contacts', contact, {
      headers: { 'Idempotency-Key': 'c-1' },
    });
    expect(retried.body).toEqual(first.body);

    const renamed = await stack.http(
      'PATCH',
      '/v1/accounts/keyco',
      { name: 'Key Co Group' },
      { headers: { 'Idempotency-Key': 'p-1' } },
    );
    expect(renamed.status).toBe(200);
    expectKeyConflict(
      await stack.http(
        'PATCH',
        '/v1/accounts/keyco',
        { name: 'Key Co Holding' },
        { headers: { 'Idempotency-Key': 'p-1' } },
      ),
    );
    expect((await stack.http('GET', '/v1/accounts/keyco')).body.account.name).toBe('Key Co Group');
  });
});
