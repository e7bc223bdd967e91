import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): headers `webhook-id`,
 * `webhook-timestamp` (unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256>` over
 * `<id>.<timestamp>.<body>`, several space-separated signatures allowed).
 *
 * Secrets: a `whsec_`-prefixed secret is base64-decoded as the spec says; any other secret is
 * used as its raw UTF-8 bytes (note: the reference libraries base64-decode unprefixed secrets too,
 * so give such receivers a `whsec_` secret).
 */
export const SECRET_PREFIX = 'whsec_';
export const DEFAULT_TOLERANCE_S = 5 * 60;

export function secretBytes(secret: string): Buffer {
  if (!secret) throw new Error('webhook secret is empty');
  if (secret.startsWith(SECRET_PREFIX)) {
    const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
    if (key.length === 0) throw new Error('webhook secret: whsec_ prefix without base64 key');
    return key;
  }
  return Buffer.from(secret, 'utf8');
}

/** `v1,<base64>` for one message. */
export function sign(secret: string, id: string, timestampS: number, body: string): string {
  const mac = createHmac('sha256', secretBytes(secret)).update(`${id}.${timestampS}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** The three headers for a delivery sent at `nowMs` (default: now). */
export function signedHeaders(secret: string, id: string, body: string, nowMs = Date.now()): WebhookHeaders {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sign(secret, id, timestamp, body),
  };
}

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

type HeaderSource = Record<string, string | string[] | undefined> | Headers;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Verifies a received delivery (raw body as sent) and returns its id and timestamp; throws
 * `WebhookVerificationError` on missing headers, a timestamp outside the tolerance or no matching signature.
 */
export function verify(
  secret: string,
  body: string,
  headers: HeaderSource,
  options: { nowMs?: number; toleranceS?: number } = {},
): { id: string; timestamp: number } {
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !ts || !signatures)
    throw new WebhookVerificationError('missing webhook-id, webhook-timestamp or webhook-signature header');
  if (!/^\d+$/.test(ts)) throw new WebhookVerificationError('invalid webhook-timestamp');
  const timestamp = Number(ts);
  const nowS = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const tolerance = options.toleranceS ?? DEFAULT_TOLERANCE_S;
  if (Math.abs(nowS - timestamp) > tolerance)
    throw new WebhookVerificationError('webhook-timestamp outside the tolerance');
  const expected = Buffer.from(sign(secret, id, timestamp, body).slice(3), 'base64');
  for (const candidate of signatures.split(' ')) {
    const [version, mac] = candidate.split(',', 2);
    if (version !== 'v1' || !mac) continue;
    const given = Buffer.from(mac, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { id, timestamp };
  }
  throw new WebhookVerificationError('no matching webhook-signature');
}

/**
 * Why receivers using the official Standard Webhooks libraries could not verify deliveries signed
 * with `secret`, or undefined when they can: those libraries take only `whsec_` + base64 secrets.
 */
export function secretProblem(secret: string): string | undefined {
  if (!secret.startsWith(SECRET_PREFIX)) return `must start with ${SECRET_PREFIX} followed by the base64 key`;
  try {
    new Webhook(secret);
  } catch (error) {
    return `is not ${SECRET_PREFIX} + base64 (${(error as Error).message})`;
  }
  if (Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64').length === 0)
    return `has no key after ${SECRET_PREFIX}`;
  return undefined;
}
