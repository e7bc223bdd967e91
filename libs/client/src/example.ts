// The README's example, compiled by the typecheck and run by test/e2e/incidents.e2e.test.ts, so it stays true.
import { createSlaClient, Schemas } from './index';

export async function openPollRespond(
  baseUrl: string,
  apiKey: string,
  idempotencyKey: string,
  fetchImpl?: typeof fetch,
) {
  const api = createSlaClient({ baseUrl, apiKey, fetch: fetchImpl });

  // Open (the Idempotency-Key makes a retry return the same incident instead of a second one).
  const opened = await api.POST('/v1/incidents', {
    params: { header: { 'Idempotency-Key': idempotencyKey } },
    body: {
      accountId: 'acme',
      contactId: 'C1',
      severity: 3,
      priority: 2,
      channel: 'portal',
      product: 'Engine',
      productVersion: '4.2',
      summary: 'Reports fail to render',
      description: 'Blank monthly report since the upgrade',
    },
  });
  if (opened.error) throw new Error(`${opened.error.status} ${opened.error.detail}`); // a Problem (RFC 9457)
  const { incidentId, dueAt } = opened.data;

  // Poll its status until the workflow has published it (or give up).
  let status: Schemas['Incident'] | undefined;
  for (let i = 0; i < 20; i++) {
    const read = await api.GET('/v1/incidents/{id}', { params: { path: { id: incidentId } } });
    status = read.data;
    if (status && 'ladder' in status) break;
    await new Promise((r) => setTimeout(r, 500));
  }

  // Record the first human response: it settles the IHR as met or breached.
  const recorded = await api.POST('/v1/incidents/{id}/responses', {
    params: { path: { id: incidentId }, header: { 'Idempotency-Key': `${incidentId}-ihr` } },
    body: { kind: 'solution', responder: 'ann.agent' },
  });
  return { incidentId, dueAt, status, outcome: recorded.data?.outcome };
}
