import { eventually } from './eventually';
import type { TestStack } from './stack';

/** The contract start the e2e accounts share (health-check years are computed from it). */
export const CONTRACT_START = '2025-03-01';

/** A `POST /v1/accounts` body: an EMEA customer on `plan`, with `extra` fields on top. */
export const accountBody = (id: string, plan: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `${id} Ltd`,
  type: 'customer',
  plan,
  supportCenter: 'emea',
  contractStart: CONTRACT_START,
  ...extra,
});

/** A `POST /v1/incidents` body: Sev 3, P2 through the portal for `accountId`'s `contactId`, `extra` on top. */
export const incidentBody = (accountId: string, contactId: string, extra: Record<string, unknown> = {}) => ({
  accountId,
  contactId,
  severity: 3,
  priority: 2,
  channel: 'portal',
  product: 'Engine',
  productVersion: '4.2',
  summary: 'e2e incident',
  description: 'opened by an e2e test',
  ...extra,
});

/** Opens `body` as an agent (201) and waits until the worker ran its first task (the status read in full). */
export async function openIncidentInFull(stack: TestStack, body: ReturnType<typeof incidentBody>): Promise<string> {
  const opened = await stack.http('POST', '/v1/incidents', body, { as: 'agent' });
  expect(opened.status).toBe(201);
  const { incidentId } = opened.body as { incidentId: string };
  // The worker has run the first task once the status is in the memo (not degraded).
  await eventually(
    async () => ((await stack.http('GET', `/v1/incidents/${incidentId}`)).body.degraded ? undefined : true),
    'status in full',
    20_000,
  );
  return incidentId;
}
