/**
 * Per-key token bucket: `perMinute` requests a minute on average, bursts up to `burst`.
 * In memory, per API replica (each replica limits on its own; document for operators).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perMinute: number,
    readonly burst = Math.max(1, Math.ceil(perMinute / 6)),
  ) {
    // NaN compared false everywhere below: every request was refused with `Retry-After: NaN`.
    if (!Number.isFinite(perMinute) || perMinute < 0) throw new Error(`rate limit must be a number >= 0 a minute, got ${perMinute}`);
    if (!Number.isFinite(burst) || burst < 1) throw new Error(`rate limit burst must be a number >= 1, got ${burst}`);
  }

  /** Takes one token; when none is left, says how many whole seconds until one is. */
  take(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (this.perMinute <= 0) return { ok: true };
    const ratePerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * ratePerMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000)) };
  }
}
