import { NestExpressApplication } from '@nestjs/platform-express';
import { Client, Connection } from '@temporalio/client';
import { createApiApp } from '../../apps/api/src/create-app';
import { DevServer, freePort, startDevServer, temporalToolchain } from '../../libs/devstack/src';
import { createLogger } from '../../libs/observability/src';
import { createTestKeys } from '../support/api-keys';
import { ContractChecker, reportContractStats } from '../support/contract';
import { accountBody, incidentBody } from '../support/fixtures';
import { apiRequester } from '../support/http';
import { startStallProxy, StallProxy } from '../support/stall-proxy';
import { testPolicy } from '../support/temporal';

/**
 * Issue 14, item 8: a Temporal server that stalls (accepts, never answers) held API requests for as
 * long as it stalled. A real dev server behind a loopback proxy that stops forwarding: every kind of
 * Temporal call answers a fast 503 with Retry-After, and /health/ready fails within its own timeout.
 */
const TEMPORAL_TIMEOUT_MS = 1_500;
const READY_TIMEOUT_MS = 800;
/** Scheduling slack on a loaded 2-core machine. */
const SLACK_MS = 1_500;
/** Before the fix the requests hung: the client gives up here and the test fails. */
const CLIENT_TIMEOUT_MS = 15_000;

let server: DevServer;
let proxy: StallProxy;
let connection: Connection;
let api: NestExpressApplication;
let http: ReturnType<typeof apiRequester>;

beforeAll(async () => {
  server = await startDevServer({ cliPath: temporalToolchain().cli, port: await freePort() });
  const [host, port] = server.address.split(':');
  proxy = await startStallProxy(host, Number(port));
  connection = await Connection.connect({ address: proxy.address });
  const client = new Client({ connection, namespace: server.namespace });
  const keys = createTestKeys();
  api = await createApiApp({
    client,
    policy: testPolicy(),
    keys: keys.store,
    logger: createLogger('api', { level: 'silent' }),
    quiet: true,
    rateLimitPerMinute: 0,
    temporalTimeoutMs: TEMPORAL_TIMEOUT_MS,
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  await api.listen(0, '127.0.0.1');
  const address = api.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // Every answer, the 503s of the stall included, is checked against the served document.
  const contract = new ContractChecker(
    (await (await fetch(`${baseUrl}/openapi.json`)).json()) as Record<string, unknown>,
  );
  http = apiRequester(baseUrl, keys, () => contract);
});

afterAll(async () => {
  reportContractStats();
  proxy?.resume();
  await api?.close();
  await connection?.close();
  await proxy?.close();
  await server?.stop();
});

const account = accountBody('stall-co', 'SP2', { name: 'Stall Co' });
const incident = incidentBody('acme', 'C-ACME-1', { summary: 'Stalled', description: 'While Temporal stalls' });

describe('a stalled Temporal server (issue 14, item 8)', () => {
  it('is ready while Temporal answers', async () => {
    const r = await http('GET', '/health/ready', undefined, { as: 'none' });
    expect(r.status).toBe(200);
  });

  describe('while the server stalls', () => {
    beforeAll(() => proxy.stall());
    afterAll(() => proxy.resume());

    it('/health/ready answers 503 within its own timeout', async () => {
      const r = await http('GET', '/health/ready', undefined, { as: 'none', timeoutMs: CLIENT_TIMEOUT_MS });
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(r.ms).toBeLessThan(READY_TIMEOUT_MS + SLACK_MS);
    });

    it.each([
      ['GET', '/v1/incidents', 'list', undefined],
      ['GET', '/v1/accounts', 'list', undefined],
      ['GET', '/v1/tasks', 'list', undefined],
      ['GET', '/v1/reports/ihr', 'list', undefined],
      ['GET', '/v1/accounts/acme/health-checks', 'read', undefined],
      ['POST', '/v1/accounts', 'start', account],
    ])('%s %s (%s) answers 503 with Retry-After within the deadline', async (method, path, _what, body) => {
      const r = await http(method, path, body, { timeoutMs: CLIENT_TIMEOUT_MS });
      expect({ status: r.status, body: r.body }).toMatchObject({ status: 503, body: { status: 503 } });
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(r.ms).toBeLessThan(TEMPORAL_TIMEOUT_MS + SLACK_MS);
    });

    it.each([
      ['GET', '/v1/incidents/INC-STALLED1', 'query, then describe', undefined],
      ['GET', '/v1/accounts/acme', 'query', undefined],
      ['POST', '/v1/incidents', 'account read, then start', incident],
    ])('%s %s (%s) answers 503 with Retry-After, bounded by the worker waits', async (method, path, _what, body) => {
      const r = await http(method, path, body, {
        timeoutMs: CLIENT_TIMEOUT_MS,
        headers: method === 'POST' ? { 'Idempotency-Key': 'stall-1' } : {},
      });
      expect({ status: r.status, body: r.body }).toMatchObject({ status: 503, body: { status: 503 } });
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      // A query waits API_QUERY_WAIT_MS (3 s) for a worker on purpose; nothing waits longer than the worker wait.
      expect(r.ms).toBeLessThan(10_000 + SLACK_MS);
    });
  });

  it('is ready again once the server answers', async () => {
    const r = await http('GET', '/health/ready', undefined, { as: 'none', timeoutMs: CLIENT_TIMEOUT_MS });
    expect(r.status).toBe(200);
  });
});
