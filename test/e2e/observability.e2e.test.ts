import { Writable } from 'node:stream';
import { startTestStack, TestStack } from '../support/stack';
import { testPolicy } from '../support/temporal';

let stack: TestStack;
const logLines: Array<Record<string, any>> = [];

beforeAll(async () => {
  const logDestination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  stack = await startTestStack(testPolicy(), { rateLimitPerMinute: 30, logDestination });
});

afterAll(async () => {
  await stack?.teardown();
});

describe('metrics, request logs and limits', () => {
  it('serves Prometheus metrics without a key, with request and incident counters', async () => {
    await stack.http('POST', '/v1/accounts', {
      id: 'acme',
      name: 'Acme',
      type: 'customer',
      plan: 'SP2',
      supportCenter: 'emea',
      contractStart: '2025-01-01',
    });
    await stack.http('POST', '/v1/accounts/acme/contacts', {
      contactId: 'C1',
      name: 'Jane',
      email: 'jane.doe@acme.example',
    });
    const opened = await stack.http(
      'POST',
      '/v1/incidents',
      {
        accountId: 'acme',
        contactId: 'C1',
        severity: 2,
        priority: 1,
        channel: 'phone',
        product: 'P',
        productVersion: '1',
        summary: 's',
        description: 'd',
      },
      { as: 'agent' },
    );
    expect(opened.status).toBe(201);
    const res = await fetch(`${stack.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('sla_incidents_opened_total{plan="SP2",severity="2"} 1');
    expect(text).toMatch(/sla_api_http_requests_total\{method="POST",route="\/v1\/incidents",status="201"\} 1/);
    expect(text).toContain('sla_api_http_request_duration_seconds_bucket');
  });

  it('logs one JSON line per request with a request id, the key id and masked emails, never the key', async () => {
    const res = await stack.http('GET', '/v1/accounts/acme', undefined, { headers: { 'x-request-id': 'req-42' } });
    expect(res.headers.get('x-request-id')).toBe('req-42');
    const line = logLines.find((l) => l.requestId === 'req-42');
    expect(line).toMatchObject({
      service: 'api',
      method: 'GET',
      route: '/v1/accounts/:id',
      status: 200,
      keyId: 'admin',
      msg: 'http request',
    });
    expect(line!.durationMs).toEqual(expect.any(Number));
    const all = JSON.stringify(logLines);
    for (const token of Object.values(stack.keys.token)) expect(all).not.toContain(token);
    expect(all).not.toContain('jane.doe@acme.example');
    const generated = (await stack.http('GET', '/health/live')).headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('limits requests per key with 429 and Retry-After, leaving other keys alone', async () => {
    let limited: Awaited<ReturnType<TestStack['http']>> | undefined;
    for (let i = 0; i < 20 && !limited; i++) {
      const res = await stack.http('GET', '/v1/plans', undefined, { as: 'tam' });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(200);
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited!.headers.get('content-type')).toContain('application/problem+json');
    expect((await stack.http('GET', '/v1/plans', undefined, { as: 'agent' })).status).toBe(200);
  });
});
