/**
 * The fingerprint of a command's request body, carried in the update's arguments and echoed in its
 * result. Temporal answers a repeated update ID with the first update's result without running the
 * handler again, so the API can only tell "the same command retried" from "the key reused with
 * another body" by the fingerprint that comes back (docs/api.md, Idempotency).
 */
export const REQUEST_FINGERPRINT = 'requestFingerprint';

export interface CommandFingerprint {
  [REQUEST_FINGERPRINT]?: string;
}

/** The fingerprint an update's first argument carries, if any. */
export function fingerprintOf(argument: unknown): string | undefined {
  const value =
    argument && typeof argument === 'object' ? (argument as CommandFingerprint)[REQUEST_FINGERPRINT] : undefined;
  return typeof value === 'string' ? value : undefined;
}
