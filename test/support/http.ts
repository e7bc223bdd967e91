import { Caller, TestKeys } from './api-keys';
import type { ContractChecker } from './contract';

export interface HttpResult {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: any;
  /** Round-trip time. */
  ms: number;
}

export interface HttpOptions {
  /** A test caller (its bearer key), or `none` for no key; admin by default. */
  as?: Caller | 'none';
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * A request helper bound to an API base URL and the test keys: JSON in, JSON (or text) out. With a
 * contract checker, every answer is checked against the OpenAPI document before the test sees it.
 */
export function apiRequester(baseUrl: string, keys: TestKeys, contract?: () => ContractChecker) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    { as = 'admin', headers = {}, timeoutMs = 30_000 }: HttpOptions = {},
  ): Promise<HttpResult> => {
    const t0 = performance.now();
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(as === 'none' ? {} : { authorization: `Bearer ${keys.token[as]}` }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const ms = performance.now() - t0;
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    contract?.().check(method, `${baseUrl}${path}`, response.status, response.headers, parsed);
    return { status: response.status, headers: response.headers, body: parsed, ms };
  };
}
