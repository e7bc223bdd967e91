import { startTestStack, TestStack } from '../support/stack';
import { Caller } from '../support/api-keys';

/**
 * Every endpoint with every caller: no key, an unknown key, each role, a customer on its own
 * account (acme), a foreign customer (globex) and a partner (resellerx, linked to `linked` only).
 * Customers get 404 for accounts that are not theirs, so account IDs do not leak.
 */
type Who = Caller | 'none' | 'unknown';
const WHO: Who[] = ['none', 'unknown', 'admin', 'agent', 'tam', 'acme', 'globex', 'partner'];

let stack: TestStack;
let acmeIncident: string;
let linkedIncident: string;
let serial = 0;
const unique = () => `${Date.now().toString(36)}${serial++}`;

interface Endpoint {
  name: string;
  request: () => { method: string; path: string; body?: unknown };
  /** A list where repeating the same command legitimately changes the answer (first 201, then 409). */
  expect: Record<Who, number | number[]>;
}

const incidentBody = (accountId: string, contactId: string) => ({
  accountId,
  contactId,
  severity: 3,
  priority: 3,
  channel: 'portal',
  product: 'Engine',
  productVersion: '1',
  summary: 'matrix',
  description: 'matrix',
});

const ENDPOINTS: Endpoint[] = [
  {
    name: 'GET /health/live',
    request: () => ({ method: 'GET', path: '/health/live' }),
    expect: { none: 200, unknown: 200, admin: 200, agent: 200, tam: 200, acme: 200, globex: 200, partner: 200 },
  },
  {
    name: 'GET /v1/plans',
    request: () => ({ method: 'GET', path: '/v1/plans' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 200, tam: 200, acme: 200, globex: 200, partner: 200 },
  },
  {
    name: 'GET /v1/support-centers',
    request: () => ({ method: 'GET', path: '/v1/support-centers' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 200, tam: 200, acme: 200, globex: 200, partner: 200 },
  },
  {
    name: 'GET /v1/calendars/emea/due',
    request: () => ({ method: 'GET', path: '/v1/calendars/emea/due?hours=4' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 200, tam: 200, acme: 200, globex: 200, partner: 200 },
  },
  {
    name: 'POST /v1/accounts',
    request: () => ({
      method: 'POST',
      path: '/v1/accounts',
      body: {
        id: `m-${unique()}`,
        name: 'M',
        type: 'customer',
        plan: 'SP2',
        supportCenter: 'emea',
        contractStart: '2025-01-01',
      },
    }),
    expect: { none: 401, unknown: 401, admin: 201, agent: 403, tam: 403, acme: 403, globex: 403, partner: 403 },
  },
  {
    name: 'GET /v1/accounts',
    request: () => ({ method: 'GET', path: '/v1/accounts' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 200, tam: 200, acme: 403, globex: 403, partner: 403 },
  },
  {
    name: 'GET /v1/accounts/acme',
    request: () => ({ method: 'GET', path: '/v1/accounts/acme' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 200, tam: 200, acme: 200, globex: 404, partner: 404 },
  },
  {
    name: 'GET /v1/accounts/linked',
    request: () => ({ method: 'GET', path: '/v1/accounts/linked' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 200, tam: 200, acme: 404, globex: 404, partner: 200 },
  },
  {
    name: 'PATCH /v1/accounts/acme',
    request: () => ({ method: 'PATCH', path: '/v1/accounts/acme', body: { name: `Acme ${unique()}` } }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 403, tam: 200, acme: 403, globex: 403, partner: 403 },
  },
  {
    name: 'POST /v1/accounts/acme/contacts',
    request: () => ({
      method: 'POST',
      path: '/v1/accounts/acme/contacts',
      body: { name: 'N', email: `${unique()}@acme.example` },
    }),
    expect: { none: 401, unknown: 401, admin: 201, agent: 403, tam: 201, acme: 201, globex: 404, partner: 404 },
  },
  {
    name: 'POST /v1/accounts/linked/contacts',
    request: () => ({
      method: 'POST',
      path: '/v1/accounts/linked/contacts',
      body: { name: 'N', email: `${unique()}@linked.example` },
    }),
    expect: { none: 401, unknown: 401, admin: 201, agent: 403, tam: 201, acme: 404, globex: 404, partner: 201 },
  },
  {
    name: 'DELETE /v1/accounts/acme/contacts/:id',
    request: () => ({ method: 'DELETE', path: '/v1/accounts/acme/contacts/C-ACME-GONE' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 403, tam: 200, acme: 200, globex: 404, partner: 404 },
  },
  {
    name: 'POST /v1/incidents (acme)',
    request: () => ({ method: 'POST', path: '/v1/incidents', body: incidentBody('acme', 'C-ACME-1') }),
    expect: { none: 401, unknown: 401, admin: 201, agent: 201, tam: 403, acme: 201, globex: 422, partner: 422 },
  },
  {
    // Issue 14, item 4: only agent and admin keys may give a past entry instant (integrations replaying a ticket).
    name: 'POST /v1/incidents (acme) with enteredAt',
    request: () => ({
      method: 'POST',
      path: '/v1/incidents',
      body: { ...incidentBody('acme', 'C-ACME-1'), enteredAt: new Date(Date.now() - 60_000).toISOString() },
    }),
    expect: { none: 401, unknown: 401, admin: 201, agent: 201, tam: 403, acme: 403, globex: 403, partner: 403 },
  },
  {
    name: 'POST /v1/incidents (linked)',
    request: () => ({ method: 'POST', path: '/v1/incidents', body: incidentBody('linked', 'C-LINKED-1') }),
    expect: { none: 401, unknown: 401, admin: 201, agent: 201, tam: 403, acme: 422, globex: 422, partner: 201 },
  },
  {
    name: 'GET /v1/incidents/:id (acme)',
    request: () => ({ method: 'GET', path: `/v1/incidents/${acmeIncident}` }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 200, tam: 200, acme: 200, globex: 404, partner: 404 },
  },
  {
    name: 'GET /v1/incidents/:id (linked)',
    request: () => ({ method: 'GET', path: `/v1/incidents/${linkedIncident}` }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 200, tam: 200, acme: 404, globex: 404, partner: 200 },
  },
  {
    name: 'GET /metrics',
    request: () => ({ method: 'GET', path: '/metrics' }),
    expect: { none: 200, unknown: 200, admin: 200, agent: 200, tam: 200, acme: 200, globex: 200, partner: 200 },
  },
  {
    name: 'GET /v1/incidents (list)',
    request: () => ({ method: 'GET', path: '/v1/incidents' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 200, tam: 200, acme: 200, globex: 200, partner: 200 },
  },
  {
    name: 'GET /v1/incidents?account=acme',
    request: () => ({ method: 'GET', path: '/v1/incidents?account=acme' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 200, tam: 200, acme: 200, globex: 404, partner: 404 },
  },
  {
    name: 'POST /v1/incidents/:id/responses',
    request: () => ({ method: 'POST', path: `/v1/incidents/${acmeIncident}/responses`, body: { kind: 'solution' } }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 200, tam: 403, acme: 403, globex: 403, partner: 403 },
  },
  {
    name: 'POST /v1/incidents/:id/priority',
    request: () => ({ method: 'POST', path: `/v1/incidents/${acmeIncident}/priority`, body: { priority: 2 } }),
    expect: { none: 401, unknown: 401, admin: 202, agent: 202, tam: 403, acme: 202, globex: 404, partner: 404 },
  },
  {
    name: 'POST /v1/incidents/:id/severity',
    request: () => ({
      method: 'POST',
      path: `/v1/incidents/${acmeIncident}/severity`,
      body: { severity: 2, reason: 'matrix' },
    }),
    expect: {
      none: 401,
      unknown: 401,
      admin: [200, 409],
      agent: [200, 409],
      tam: 403,
      acme: 403,
      globex: 403,
      partner: 403,
    },
  },
  {
    name: 'POST /v1/incidents/:id/resolve',
    request: () => ({ method: 'POST', path: `/v1/incidents/${linkedIncident}/resolve`, body: { summary: 'matrix' } }),
    expect: {
      none: 401,
      unknown: 401,
      admin: [200, 409],
      agent: [200, 409],
      tam: 403,
      acme: 403,
      globex: 403,
      partner: 403,
    },
  },
  {
    name: 'GET /v1/reports/ihr',
    request: () => ({ method: 'GET', path: '/v1/reports/ihr' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 200, tam: 403, acme: 403, globex: 403, partner: 403 },
  },
  {
    name: 'GET /v1/accounts/acme/health-checks',
    request: () => ({ method: 'GET', path: '/v1/accounts/acme/health-checks' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 200, tam: 200, acme: 200, globex: 404, partner: 404 },
  },
  {
    name: 'POST /v1/accounts/acme/health-checks',
    request: () => ({ method: 'POST', path: '/v1/accounts/acme/health-checks', body: { kind: 'remote' } }),
    expect: {
      none: 401,
      unknown: 401,
      admin: [201, 409],
      agent: 403,
      tam: [201, 409],
      acme: [201, 409],
      globex: 404,
      partner: 404,
    },
  },
  {
    name: 'GET /v1/tasks',
    request: () => ({ method: 'GET', path: '/v1/tasks' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 403, tam: 200, acme: 403, globex: 403, partner: 403 },
  },
  {
    // A TAM lists its own tasks only; naming another owner is 403 (admins may name any).
    name: 'GET /v1/tasks?owner=another',
    request: () => ({ method: 'GET', path: '/v1/tasks?owner=someone.else' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 403, tam: 403, acme: 403, globex: 403, partner: 403 },
  },
  {
    name: 'GET /v1/tasks.ics',
    request: () => ({ method: 'GET', path: '/v1/tasks.ics' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 403, tam: 200, acme: 403, globex: 403, partner: 403 },
  },
  {
    // Issue 14, item 13: a TAM lists its own tasks only; admins may name any owner.
    name: 'GET /v1/tasks?owner=<another TAM>',
    request: () => ({ method: 'GET', path: '/v1/tasks?owner=someone.else' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 403, tam: 403, acme: 403, globex: 403, partner: 403 },
  },
  {
    name: 'GET /v1/tasks?owner=<the calling TAM>',
    request: () => ({ method: 'GET', path: '/v1/tasks?owner=jane.doe' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 403, tam: 200, acme: 403, globex: 403, partner: 403 },
  },
  {
    name: 'POST /v1/tasks/:id/complete',
    request: () => ({ method: 'POST', path: '/v1/tasks/acme:2020:remote/complete', body: { summary: 'matrix' } }),
    expect: { none: 401, unknown: 401, admin: 404, agent: 403, tam: 404, acme: 403, globex: 403, partner: 403 },
  },
  {
    name: 'POST /v1/admin/health-check-schedules/reconcile',
    request: () => ({ method: 'POST', path: '/v1/admin/health-check-schedules/reconcile' }),
    expect: { none: 401, unknown: 401, admin: 200, agent: 403, tam: 403, acme: 403, globex: 403, partner: 403 },
  },
];

beforeAll(async () => {
  stack = await startTestStack();
  const setup: Array<[string, unknown]> = [
    [
      '/v1/accounts',
      {
        id: 'acme',
        name: 'Acme',
        type: 'customer',
        plan: 'SPE',
        supportCenter: 'emea',
        contractStart: '2025-01-01',
        tamId: 'jane.doe',
      },
    ],
    [
      '/v1/accounts',
      {
        id: 'globex',
        name: 'Globex',
        type: 'customer',
        plan: 'SP2',
        supportCenter: 'emea',
        contractStart: '2025-01-01',
      },
    ],
    [
      '/v1/accounts',
      {
        id: 'resellerx',
        name: 'Reseller X',
        type: 'partner',
        plan: 'SP1',
        supportCenter: 'emea',
        contractStart: '2025-01-01',
      },
    ],
    [
      '/v1/accounts',
      {
        id: 'linked',
        name: 'Linked',
        type: 'customer',
        plan: 'SPE',
        supportCenter: 'emea',
        contractStart: '2025-01-01',
        partnerId: 'resellerx',
      },
    ],
    ['/v1/accounts/acme/contacts', { contactId: 'C-ACME-1', name: 'Ann', email: 'ann@acme.example' }],
    ['/v1/accounts/acme/contacts', { contactId: 'C-ACME-GONE', name: 'Gone', email: 'gone@acme.example' }],
    ['/v1/accounts/globex/contacts', { contactId: 'C-GLOBEX-1', name: 'Gil', email: 'gil@globex.example' }],
    ['/v1/accounts/linked/contacts', { contactId: 'C-LINKED-1', name: 'Lin', email: 'lin@linked.example' }],
  ];
  for (const [path, body] of setup) expect((await stack.http('POST', path, body)).status).toBe(201);
  acmeIncident = (await stack.http('POST', '/v1/incidents', incidentBody('acme', 'C-ACME-1'))).body.incidentId;
  linkedIncident = (await stack.http('POST', '/v1/incidents', incidentBody('linked', 'C-LINKED-1'))).body.incidentId;
});

afterAll(async () => {
  await stack?.teardown();
});

const rows = ENDPOINTS.flatMap((endpoint) =>
  WHO.map((who) => [endpoint.name, who, endpoint.expect[who], endpoint] as const),
);

describe('role x endpoint access matrix', () => {
  it.each(rows)('%s as %s -> %s', async (_name, who, status, endpoint) => {
    const { method, path, body } = endpoint.request();
    const res =
      who === 'unknown'
        ? await stack.http(method, path, body, { as: 'none', headers: { authorization: 'Bearer sla_not_a_key' } })
        : await stack.http(method, path, body, { as: who });
    const allowed = [status].flat();
    expect(allowed).toContain(res.status);
    if (res.status >= 400) {
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      if (res.status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });
});
