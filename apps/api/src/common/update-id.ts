import { createHash } from 'node:crypto';

/** Update IDs derived from the client's Idempotency-Key, so a retried request is the same update. */
export function updateIdFor(scope: string, key: string | undefined): string | undefined {
  return key ? `${scope}:${createHash('sha256').update(key).digest('hex').slice(0, 32)}` : undefined;
}
