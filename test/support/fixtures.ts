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
