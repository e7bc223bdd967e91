import { eventually } from '../support/eventually';
import { accountBody, incidentBody, openIncidentInFull } from '../support/fixtures';
import { startTestStack, TestStack } from '../support/stack';
import { shortWorkerWait } from '../support/worker-wait';
import { testPolicy } from '../support/temporal';

/**
 * Issue 14, item 1: a command takes effect at the instant the API received it, not when a worker
 * gets to it. The trial: the worker paused, a response POSTed before the due instant (503:
 * no worker took it in time, yet Temporal holds it), the worker back after the due instant: the IHR
 * is met, at the request's instant. Item 4: a response dated in the past is recorded with when and by
 * which key, and the IHR report lists it when recorded more than 15 minutes after its claimed instant.
 */
const WORKER_WAIT_MS = 1_500;
const MIN = 60_000;

let stack: TestStack;
shortWorkerWait(WORKER_WAIT_MS);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  // SPE is 24x7: Sev 3 due 30 s after entry, Sev 4 eight hours after.
  stack = await startTestStack(testPolicy((doc) => (doc.plans.SPE.targets.sev3 = '30s')));
  expect((await stack.http('POST', '/v1/accounts', accountBody('instco', 'SPE'))).status).toBe(201);
  const contact = { contactId: 'C-INST-1', name: 'Ida', email: 'ida@instco.example' };
  expect((await stack.http('POST', '/v1/accounts/instco/contacts', contact)).status).toBe(201);
});

afterAll(async () => {
  await stack?.teardown();
});

const openIncident = (severity: number, enteredAt: number) =>
  openIncidentInFull(
    stack,
    incidentBody('instco', 'C-INST-1', {
      severity,
      summary: 'Instants',
      description: 'the request instant',
      enteredAt: new Date(enteredAt).toISOString(),
    }),
  );

describe('a response takes effect when the API received it (issue 14, item 1)', () => {
  it('POSTed before due with no worker (503), applied after due: the IHR is met at the request instant', async () => {
    // Due in ~12 s: time to stop the worker and answer 503 well before it.
    const incidentId = await openIncident(3, Date.now() - 18_000);
    const dueAt = (await stack.http('GET', `/v1/incidents/${incidentId}`)).body.ihr.dueAt as string;
    await stack.stopWorker();
    let unavailable;
    const sentMs = Date.now();
    try {
      unavailable = await stack.http(
        'POST',
        `/v1/incidents/${incidentId}/responses`,
        { kind: 'solution' },
        { as: 'agent' },
      );
      expect(unavailable.status).toBe(503);
      expect(sentMs).toBeLessThan(Date.parse(dueAt));
      // The worker stays away past the due instant.
      await sleep(Date.parse(dueAt) + 2_000 - Date.now());
    } finally {
      await stack.startWorker();
    }
    const status = await eventually(
      async () => {
        const body = (await stack.http('GET', `/v1/incidents/${incidentId}`)).body;
        return body.outcome ? body : undefined;
      },
      'response recorded',
      30_000,
    );
    expect(status.state).toBe('met');
    expect(status.breachedAt).toBeNull();
    const respondedMs = Date.parse(status.outcome.respondedAt);
    expect(status.outcome).toMatchObject({ outcome: 'met', dueAt });
    expect(respondedMs).toBeGreaterThanOrEqual(sentMs - 1_000);
    expect(respondedMs).toBeLessThanOrEqual(sentMs + WORKER_WAIT_MS);
    expect(respondedMs).toBeLessThan(Date.parse(dueAt));

    // The retry with the key the 503 named is the same command: the same instant.
    const key = unavailable!.headers.get('idempotency-key')!;
    const retried = await stack.http(
      'POST',
      `/v1/incidents/${incidentId}/responses`,
      { kind: 'solution' },
      {
        as: 'agent',
        headers: { 'Idempotency-Key': key },
      },
    );
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ ihr: true, outcome: 'met', respondedAt: status.outcome.respondedAt });
    // The list and the report count it met.
    const listed = await stack.http('GET', `/v1/incidents?account=instco&state=met`);
    expect((listed.body.items as Array<{ incidentId: string }>).map((i) => i.incidentId)).toContain(incidentId);
  });
});

describe('a response dated in the past (issue 14, item 4)', () => {
  it('records recordedAt and the key id on the timeline and the IHR; the report lists it 15 min late', async () => {
    const enteredMs = Date.now() - 60 * MIN;
    const incidentId = await openIncident(4, enteredMs);
    const claimed = new Date(Date.now() - 20 * MIN).toISOString();
    const before = Date.now();
    const answer = await stack.http(
      'POST',
      `/v1/incidents/${incidentId}/responses`,
      {
        kind: 'solution',
        responder: 'Jane Doe',
        respondedAt: claimed,
      },
      { as: 'agent' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ihr: true, outcome: 'met', respondedAt: claimed });

    const status = (await stack.http('GET', `/v1/incidents/${incidentId}`)).body;
    expect(status.outcome).toMatchObject({ responder: 'Jane Doe', respondedAt: claimed, recordedByKeyId: 'agent' });
    const recordedMs = Date.parse(status.outcome.recordedAt);
    expect(recordedMs).toBeGreaterThanOrEqual(before - 1_000);
    expect(recordedMs).toBeLessThanOrEqual(Date.now());
    const entry = (status.timeline as Array<{ type: string; details: Record<string, unknown> }>).find(
      (e) => e.type === 'response.recorded',
    );
    expect(entry?.details).toMatchObject({
      respondedAt: claimed,
      recordedAt: status.outcome.recordedAt,
      recordedByKeyId: 'agent',
    });

    const from = new Date(enteredMs).toISOString();
    const to = new Date(enteredMs + 24 * 60 * MIN).toISOString();
    const report = await eventually(
      async () => {
        const body = (await stack.http('GET', `/v1/reports/ihr?from=${from}&to=${to}`)).body;
        return body.lateResponses?.some((r: { incidentId: string }) => r.incidentId === incidentId) ? body : undefined;
      },
      'late response in the report',
      20_000,
    );
    expect(report.lateResponsesTruncated).toBe(false);
    const late = report.lateResponses.find((r: { incidentId: string }) => r.incidentId === incidentId);
    expect(late).toEqual({
      incidentId,
      respondedAt: claimed,
      recordedAt: status.outcome.recordedAt,
      recordedByKeyId: 'agent',
      lagMs: recordedMs - Date.parse(claimed),
      ihr: true,
    });
    expect(late.lagMs).toBeGreaterThan(15 * MIN);
  });
});
