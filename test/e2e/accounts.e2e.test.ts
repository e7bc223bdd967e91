import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { generateKey, hashKey } from '../../libs/auth/src';
import type { Schemas } from '../../libs/client/src';
import { Caller, TEST_CALLERS } from '../support/api-keys';
import { accountBody } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';

// The main flows go through the typed client (libs/client); bad input and access cases use raw HTTP.
let stack: TestStack;

/** A `POST /v1/accounts` body (the fixture builds it loosely typed for the raw-HTTP cases). */
const account = (id: string, plan: string, extra: Record<string, unknown> = {}) =>
  accountBody(id, plan, extra) as Schemas['CreateAccountRequest'];
const accountPath = (id: string) => ({ params: { path: { id } } });

async function create(body: Schemas['CreateAccountRequest']) {
  const { data, response } = await stack.sla().POST('/v1/accounts', { body });
  expect(response.status).toBe(201);
  return data!;
}

async function addContacts(accountId: string, count: number, as: Caller = 'admin', from = 0) {
  for (let i = from; i < from + count; i++) {
    const { response } = await stack.sla(as).POST('/v1/accounts/{id}/contacts', {
      ...accountPath(accountId),
      body: { name: `Contact ${i}`, email: `c${i}@${accountId}.example` },
    });
    expect(response.status).toBe(201);
  }
}

beforeAll(async () => {
  stack = await startTestStack();
  await create(account('acme', 'SPE', { tamId: 'jane.doe' }));
  await stack.http('POST', '/v1/accounts/acme/contacts', {
    contactId: 'C-ACME-1',
    name: 'Ann',
    email: 'ann@acme.example',
  });
  await create(account('globex', 'SP2'));
  await create(account('resellerx', 'SP1', { type: 'partner' }));
  await create(account('linked', 'SP2', { partnerId: 'resellerx' }));
});

afterAll(async () => {
  await stack?.teardown();
});

describe('accounts over HTTP on the dev server', () => {
  it('creates an account and reads it back with an empty change log', async () => {
    const created = await stack.sla().POST('/v1/accounts', { body: account('initech', 'SP2') });
    expect(created.response.status).toBe(201);
    expect(created.response.headers.get('location')).toBe('/v1/accounts/initech');
    const read = await stack.sla().GET('/v1/accounts/{id}', accountPath('initech'));
    expect(read.response.status).toBe(200);
    expect(read.data!.account).toMatchObject({
      accountId: 'initech',
      plan: 'SP2',
      supportCenter: 'emea',
      type: 'customer',
      tamId: null,
      createdBy: 'admin:admin',
    });
    expect(read.data!.contacts).toEqual([]);
    expect(read.data!.changes).toEqual([]);
  });

  it('answers a retried create with the same account, and 409 when the id is taken by other details', async () => {
    await create(account('hooli', 'SP3'));
    const again = await stack.sla().POST('/v1/accounts', { body: account('hooli', 'SP3') });
    expect(again.response.status).toBe(200);
    expect(again.data!.account.accountId).toBe('hooli');
    const other = await stack.sla().POST('/v1/accounts', { body: account('hooli', 'SP1') });
    expect(other.response.status).toBe(409);
    expect(other.error!.errors![0]).toMatchObject({ field: 'id', rule: 'unique' });
  });

  it('changes the plan through an update and keeps who and when in the change log', async () => {
    await create(account('umbrella', 'SP3'));
    const umbrella = accountPath('umbrella');
    const changed = await stack.sla('tam').PATCH('/v1/accounts/{id}', { ...umbrella, body: { plan: 'SP1' } });
    expect(changed.response.status).toBe(200);
    expect(changed.data!.account.plan).toBe('SP1');
    const upgraded = await stack
      .sla()
      .PATCH('/v1/accounts/{id}', { ...umbrella, body: { plan: 'SPE', tamId: 'jane.doe' } });
    expect(upgraded.response.status).toBe(200);
    const read = (await stack.sla().GET('/v1/accounts/{id}', umbrella)).data!;
    expect(read.changes.map((c) => [c.field, c.from, c.to, c.actor])).toEqual([
      ['plan', 'SP3', 'SP1', 'tam:tam'],
      ['plan', 'SP1', 'SPE', 'admin:admin'],
      ['tamId', null, 'jane.doe', 'admin:admin'],
    ]);
    expect(Date.parse(read.changes[0].at)).toBeGreaterThan(Date.now() - 60_000);
    // Leaving SPE unassigns the TAM, logged like any change.
    const down = (await stack.sla().PATCH('/v1/accounts/{id}', { ...umbrella, body: { plan: 'SP1' } })).data!;
    expect(down.account.tamId).toBeNull();
    expect(down.changes.at(-1)).toMatchObject({ field: 'tamId', from: 'jane.doe', to: null });
    const same = await stack.sla().PATCH('/v1/accounts/{id}', { ...umbrella, body: { plan: 'SP1' } });
    expect(same.response.status).toBe(409);
    expect(same.error!.errors![0].rule).toBe('noChange');
  });

  it.each([
    ['SPE', 10],
    ['SP1', 6],
    ['SP2', 4],
    ['SP3', 2],
  ])('limits %s to %i customer contacts; the next one gets 409 naming the limit and the plan', async (plan, max) => {
    const id = `limit-${plan.toLowerCase()}`;
    await create(account(id, plan));
    await addContacts(id, max);
    const over = await stack.http('POST', `/v1/accounts/${id}/contacts`, {
      name: 'One too many',
      email: `over@${id}.example`,
    });
    expect(over.status).toBe(409);
    expect(over.headers.get('content-type')).toContain('application/problem+json');
    expect(over.body.errors[0]).toMatchObject({ field: 'contacts', rule: 'contactLimit' });
    expect(over.body.detail).toContain(`plan ${plan} allows at most ${max}`);
    expect((await stack.http('GET', `/v1/accounts/${id}`)).body.contacts).toHaveLength(max);
  });

  it('refuses a downgrade that would leave too many contacts, saying how many must go', async () => {
    await create(account('wayne', 'SPE', { tamId: 'jane.doe' }));
    await addContacts('wayne', 6);
    const refused = await stack.http('PATCH', '/v1/accounts/wayne', { plan: 'SP2' });
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0]).toMatchObject({ field: 'plan', rule: 'contactLimit' });
    expect(refused.body.detail).toContain('remove 2 contact(s) first');
    const read = await stack.http('GET', '/v1/accounts/wayne');
    expect(read.body.account.plan).toBe('SPE');
    expect(read.body.contacts).toHaveLength(6);
    // After removing two, the downgrade goes through.
    for (const contact of read.body.contacts.slice(0, 2)) {
      expect((await stack.http('DELETE', `/v1/accounts/wayne/contacts/${contact.contactId}`)).status).toBe(200);
    }
    expect((await stack.http('PATCH', '/v1/accounts/wayne', { plan: 'SP2' })).status).toBe(200);
  });

  it('keeps emails unique per account, removes contacts idempotently and 404s unknown ones', async () => {
    await create(account('stark', 'SP1'));
    const first = await stack.http('POST', '/v1/accounts/stark/contacts', {
      name: 'Pepper',
      email: 'pepper@stark.example',
      phone: '+1 555 0100',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      name: 'Pepper',
      email: 'pepper@stark.example',
      phone: '+1 555 0100',
      registeredBy: 'admin:admin',
    });
    const dup = await stack.http('POST', '/v1/accounts/stark/contacts', {
      name: 'P. Potts',
      email: 'PEPPER@stark.example',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0]).toMatchObject({ field: 'email', rule: 'unique' });
    const id = first.body.contactId;
    expect((await stack.http('DELETE', `/v1/accounts/stark/contacts/${id}`)).status).toBe(200);
    expect((await stack.http('DELETE', `/v1/accounts/stark/contacts/${id}`)).status).toBe(200);
    const unknown = await stack.http('DELETE', '/v1/accounts/stark/contacts/C-NEVER');
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].field).toBe('contactId');
  });

  it('registers a contact once for a retried request with the same Idempotency-Key', async () => {
    await create(account('cyberdyne', 'SP2'));
    const body = { name: 'Miles', email: 'miles@cyberdyne.example' };
    const headers = { 'Idempotency-Key': 'contact-miles' };
    const first = await stack.http('POST', '/v1/accounts/cyberdyne/contacts', body, { headers });
    const again = await stack.http('POST', '/v1/accounts/cyberdyne/contacts', body, { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.contactId).toBe(first.body.contactId);
    expect((await stack.http('GET', '/v1/accounts/cyberdyne')).body.contacts).toHaveLength(1);
  });

  it('lists accounts through visibility by plan, center and TAM, with pages', async () => {
    const byPlan = await eventuallyList('/v1/accounts?plan=SPE', (ids) => ids.includes('acme'));
    expect(byPlan.every((a: { plan: string }) => a.plan === 'SPE')).toBe(true);
    const byTam = await eventuallyList('/v1/accounts?tam=jane.doe', (ids) => ids.includes('acme'));
    expect(byTam.every((a: { tamId: string }) => a.tamId === 'jane.doe')).toBe(true);
    const byCenter = await eventuallyList('/v1/accounts?center=emea&type=partner', (ids) => ids.includes('resellerx'));
    expect(byCenter.map((a: { accountId: string }) => a.accountId)).toEqual(['resellerx']);
    const page1 = await stack.http('GET', '/v1/accounts?pageSize=2');
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextPageToken).toEqual(expect.any(String));
    const page2 = await stack.http('GET', `/v1/accounts?pageSize=2&pageToken=${page1.body.nextPageToken}`);
    expect(page2.status).toBe(200);
    expect(page2.body.items.map((a: { accountId: string }) => a.accountId)).not.toContain(
      page1.body.items[0].accountId,
    );
  });

  it('still answers reads from the memo when no worker is up, flagged degraded', async () => {
    await stack.stopWorker();
    try {
      const read = await stack.http('GET', '/v1/accounts/acme');
      expect(read.status).toBe(200);
      expect(read.body.degraded).toBe(true);
      expect(read.body.account).toMatchObject({ accountId: 'acme', plan: 'SPE', tamId: 'jane.doe' });
      expect(read.body.contacts.map((c: { contactId: string }) => c.contactId)).toContain('C-ACME-1');
    } finally {
      await stack.startWorker();
    }
  });

  it('picks up a rotated keys file without a restart', async () => {
    const fresh = generateKey('rotated');
    const { path, token } = stack.keys;
    const entries = (Object.keys(TEST_CALLERS) as Caller[]).map((id) => ({
      id,
      sha256: hashKey(token[id]),
      ...TEST_CALLERS[id],
    }));
    entries.push({ id: 'rotated', sha256: hashKey(fresh), role: 'agent' } as never);
    writeFileSync(path, stringify({ keys: entries }));
    await new Promise((r) => setTimeout(r, 1_100));
    const res = await fetch(`${stack.baseUrl}/v1/plans`, { headers: { authorization: `Bearer ${fresh}` } });
    expect(res.status).toBe(200);
  });

  async function eventuallyList(path: string, done: (ids: string[]) => boolean) {
    for (let i = 0; i < 100; i++) {
      const res = await stack.http('GET', path);
      expect(res.status).toBe(200);
      if (done(res.body.items.map((a: { accountId: string }) => a.accountId))) return res.body.items;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`list ${path} never matched`);
  }
});

describe('bad input on account endpoints is problem+json naming the field', () => {
  const cases: Array<[string, string, string, unknown, number, string, string]> = [
    [
      'create: missing name',
      'POST',
      '/v1/accounts',
      { ...account('x1', 'SP2'), name: undefined },
      400,
      'name',
      'required',
    ],
    ['create: plan as number', 'POST', '/v1/accounts', account('x2', 7 as never), 400, 'plan', 'type'],
    ['create: unknown plan', 'POST', '/v1/accounts', account('x3', 'GOLD'), 422, 'plan', 'known'],
    [
      'create: unknown center',
      'POST',
      '/v1/accounts',
      account('x4', 'SP2', { supportCenter: 'mars' }),
      422,
      'supportCenter',
      'known',
    ],
    [
      'create: bad date',
      'POST',
      '/v1/accounts',
      account('x5', 'SP2', { contractStart: '2025-02-30' }),
      400,
      'contractStart',
      'format',
    ],
    ['create: bad type', 'POST', '/v1/accounts', account('x6', 'SP2', { type: 'vip' }), 400, 'type', 'enum'],
    ['create: bad id', 'POST', '/v1/accounts', account('has space', 'SP2'), 400, 'id', 'format'],
    [
      'create: oversized name',
      'POST',
      '/v1/accounts',
      account('x7', 'SP2', { name: 'n'.repeat(201) }),
      400,
      'name',
      'max',
    ],
    ['create: unknown field', 'POST', '/v1/accounts', account('x8', 'SP2', { vip: true }), 400, 'vip', 'unknown'],
    [
      'create: TAM on SP2',
      'POST',
      '/v1/accounts',
      account('x9', 'SP2', { tamId: 'jane.doe' }),
      422,
      'tamId',
      'planFeature',
    ],
    [
      'create: partner that is not one',
      'POST',
      '/v1/accounts',
      account('x10', 'SP2', { partnerId: 'globex' }),
      422,
      'partnerId',
      'partnerAccount',
    ],
    ['patch: empty body', 'PATCH', '/v1/accounts/globex', {}, 400, 'body', 'invalid'],
    ['patch: unknown plan', 'PATCH', '/v1/accounts/globex', { plan: 'GOLD' }, 422, 'plan', 'known'],
    ['patch: unknown field', 'PATCH', '/v1/accounts/globex', { colour: 'red' }, 400, 'colour', 'unknown'],
    ['patch: bad date', 'PATCH', '/v1/accounts/globex', { contractStart: 'soon' }, 400, 'contractStart', 'format'],
    [
      'contact: bad email',
      'POST',
      '/v1/accounts/globex/contacts',
      { name: 'A', email: 'not-an-email' },
      400,
      'email',
      'format',
    ],
    [
      'contact: bad phone',
      'POST',
      '/v1/accounts/globex/contacts',
      { name: 'A', email: 'a@globex.example', phone: 'call me' },
      400,
      'phone',
      'format',
    ],
    [
      'contact: missing name',
      'POST',
      '/v1/accounts/globex/contacts',
      { email: 'a@globex.example' },
      400,
      'name',
      'required',
    ],
    ['list: page size 1000', 'GET', '/v1/accounts?pageSize=1000', undefined, 400, 'pageSize', 'max'],
    ['list: unknown filter', 'GET', '/v1/accounts?colour=red', undefined, 400, 'colour', 'unknown'],
    ['list: bad page token', 'GET', '/v1/accounts?pageToken=!!!', undefined, 400, 'pageToken', 'format'],
    ['list: page token that is not JSON', 'GET', '/v1/accounts?pageToken=abc', undefined, 400, 'pageToken', 'format'],
  ];

  it.each(cases)('%s', async (_name, method, path, body, status, field, rule) => {
    const res = await stack.http(method, path, body === undefined ? undefined : JSON.parse(JSON.stringify(body)));
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
  });

  it('answers a forged page token that parses within the token deadline and without a 5xx', async () => {
    const started = Date.now();
    const res = await stack.http(
      'GET',
      `/v1/accounts?pageToken=${Buffer.from('{"CloseTime":"x","RunID":7}').toString('base64url')}`,
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'pageToken', rule: 'format' })]);
    // The API's 3 s deadline answers within ~5 s (the client's retry backoff may outlive it; a 5 s
    // bound here failed at 5.4 s); unbounded, the client retries the server's answer for ~20 s. 12 s
    // tells the two apart on a loaded machine.
    expect(Date.now() - started).toBeLessThan(12_000);
  });

  it('answers 404 for an unknown account', async () => {
    const res = await stack.http('GET', '/v1/accounts/nobody');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('the change log: the last entries on the account, every entry paged (issue 14, item 6)', () => {
  it('shows the last 20 changes with changeCount; GET …/changes pages all of them, oldest first', async () => {
    await create(account('churn', 'SP2'));
    for (let i = 0; i < 13; i++) {
      const body = { contactId: `C-CH-${i}`, name: 'N', email: `n${i}@churn.example` };
      const added = await stack.http('POST', '/v1/accounts/churn/contacts', body);
      expect(added.status).toBe(201);
      expect((await stack.http('DELETE', `/v1/accounts/churn/contacts/C-CH-${i}`)).status).toBe(200);
    }
    const read = (await stack.sla().GET('/v1/accounts/{id}', accountPath('churn'))).data!;
    expect(read.changeCount).toBe(26);
    expect(read.changes).toHaveLength(20);
    const entries: Schemas['AccountChangesPage']['entries'] = [];
    let pageToken: string | undefined;
    do {
      const query = { pageSize: 8, ...(pageToken ? { pageToken } : {}) };
      const { data } = await stack.sla().GET('/v1/accounts/{id}/changes', { params: { path: { id: 'churn' }, query } });
      expect(data!.total).toBe(26);
      entries.push(...data!.entries);
      pageToken = data!.nextPageToken;
    } while (pageToken);
    const pairs = Array.from({ length: 13 }, (_, i) => [`C-CH-${i}`, `C-CH-${i}`]);
    expect(entries.map((c) => c.to ?? c.from)).toEqual(pairs.flat());
    expect(entries.slice(-20)).toEqual(read.changes);
    expect((await stack.http('GET', '/v1/accounts/churn/changes?pageSize=1001')).status).toBe(400);
    expect((await stack.http('GET', '/v1/accounts/churn/changes', undefined, { as: 'acme' })).status).toBe(404);
  });
});

describe('who acted, as a customer key reads it', () => {
  it('names the role alone to a customer key, role:keyId to the vendor: no key id reaches a customer', async () => {
    const added = await stack.http(
      'POST',
      '/v1/accounts/acme/contacts',
      { contactId: 'C-ACME-WHO', name: 'Who', email: 'who@acme.example' },
      { as: 'acme' },
    );
    expect(added.status).toBe(201);
    expect(added.body.registeredBy).toBe('customer');

    const asVendor = (await stack.http('GET', '/v1/accounts/acme')).body;
    const asCustomer = (await stack.http('GET', '/v1/accounts/acme', undefined, { as: 'acme' })).body;
    expect(asVendor.account.createdBy).toBe('admin:admin');
    expect(asCustomer.account.createdBy).toBe('admin');
    const registeredBy = (view: any) =>
      Object.fromEntries(view.contacts.map((c: any) => [c.contactId, c.registeredBy]));
    expect(registeredBy(asVendor)).toMatchObject({ 'C-ACME-1': 'admin:admin', 'C-ACME-WHO': 'customer:acme' });
    expect(registeredBy(asCustomer)).toMatchObject({ 'C-ACME-1': 'admin', 'C-ACME-WHO': 'customer' });

    const changes = await stack.http('GET', '/v1/accounts/acme/changes', undefined, { as: 'acme' });
    expect(changes.status).toBe(200);
    expect(changes.body.entries.map((e: any) => e.actor)).toContain('customer');
    // Every answer above, to the customer: no `role:keyId` anywhere.
    for (const body of [added.body, asCustomer, changes.body]) {
      expect(JSON.stringify(body)).not.toMatch(/"(admin|agent|tam|customer):/);
    }
  });
});

describe('plan matrix and support centers', () => {
  it('lists every plan with its features, coverage and targets, and the policy version', async () => {
    const res = await stack.http('GET', '/v1/plans', undefined, { as: 'acme' });
    expect(res.status).toBe(200);
    expect(res.body.policyVersion).toMatch(/^sha256:[0-9a-f]{16}$/);
    const sp3 = res.body.plans.find((p: { id: string }) => p.id === 'SP3');
    expect(sp3.features).toEqual({
      productUpgrades: true,
      channels: ['portal', 'email'],
      remoteSession: false,
      maxContacts: 2,
      healthChecks: { remote: false, onsite: false },
      tam: false,
    });
    expect(sp3.targets).toEqual({ sev1: '8h', sev2: '16h', sev3: '24h', sev4: '40h' });
    const sp1 = res.body.plans.find((p: { id: string }) => p.id === 'SP1');
    expect(sp1.coverage).toMatchObject({ sev1: '24x7', sev2: 'business-hours' });
  });

  it('lists support centers with zone, weekly hours and the closures of the next 12 months', async () => {
    const res = await stack.http('GET', '/v1/support-centers', undefined, { as: 'agent' });
    const emea = res.body.supportCenters.find((c: { id: string }) => c.id === 'emea');
    expect(emea.zone).toBe('Europe/Helsinki');
    expect(emea.weekly.mon).toEqual(['08:00-17:00']);
    const closures = emea.closures as Array<{ date: string; reason: string; name?: string }>;
    expect(closures.length).toBeGreaterThan(5);
    expect(closures.every((c) => c.reason !== 'weekend')).toBe(true);
    // Christmas Eve is closed by config whenever it falls on a weekday within the window.
    const christmasEves = closures.filter((c) => c.date.endsWith('-12-24'));
    for (const eve of christmasEves) expect(eve.name).toBe('Christmas Eve');
    expect(closures[0].date >= new Date().toISOString().slice(0, 10)).toBe(true);
    const last = new Date(Date.now() + 366 * 86400_000).toISOString().slice(0, 10);
    expect(closures.at(-1)!.date <= last).toBe(true);
  });
});
