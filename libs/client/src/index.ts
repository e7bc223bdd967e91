import createFetchClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './openapi';

export type { components, operations, paths };

/** The named shapes of the API (`Schemas['IncidentStatus']`, `Schemas['Problem']`, ...). */
export type Schemas = components['schemas'];

/** A typed client of the support SLA engine: paths, parameters, bodies and answers come from the OpenAPI document. */
export type SlaClient = Client<paths>;

export interface SlaClientOptions {
  /** Where the API listens, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** An API key; sent as `Authorization: Bearer <key>` on every request. */
  apiKey?: string;
  /** Another fetch (tests check every answer against the document with one). */
  fetch?: typeof fetch;
}

export function createSlaClient({ baseUrl, apiKey, fetch }: SlaClientOptions): SlaClient {
  return createFetchClient<paths>({
    baseUrl,
    headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    ...(fetch ? { fetch } : {}),
  });
}
