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
    if (!Number.isFinite(perMinute) || perMinute < 0)
      throw new Error(`rate limit must be a number >= 0 a minute, got ${perMinute}`);
    if (!Number.isFinite(burst) || burst < 1) throw new Error(`rate limit burst must be a number >= 1, got ${burst}`);
  }

  /**
   * Takes `cost` tokens (1 for a plain request; more for an expensive one, so one key cannot starve the
   * others with a few costly calls; capped at the burst so any request can pass on a full bucket); when
   * too few are left, takes none and says how many whole seconds until there are enough.
   */
  take(key: string, now = Date.now(), cost = 1): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (this.perMinute <= 0) return { ok: true };
    const need = Math.min(Math.max(1, cost), this.burst);
    const ratePerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * ratePerMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= need) {
      bucket.tokens -= need;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((need - bucket.tokens) / ratePerMs / 1000)) };
  }
}
