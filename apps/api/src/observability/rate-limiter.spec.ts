import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows a burst, then refuses with the seconds until the next token', () => {
    const limiter = new RateLimiter(60, 3);
    expect([1, 2, 3].map(() => limiter.take('k', 0).ok)).toEqual([true, true, true]);
    expect(limiter.take('k', 0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('k', 1_000).ok).toBe(true);
  });

  it('keeps keys apart', () => {
    const limiter = new RateLimiter(60, 1);
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.take('b', 0).ok).toBe(true);
    expect(limiter.take('a', 0).ok).toBe(false);
  });

  it('refills at the configured rate and never above the burst', () => {
    const limiter = new RateLimiter(6, 2); // one token every 10 s
    limiter.take('k', 0);
    limiter.take('k', 0);
    expect(limiter.take('k', 5_000)).toEqual({ ok: false, retryAfterSeconds: 5 });
    expect(limiter.take('k', 10_000).ok).toBe(true);
    for (let i = 0; i < 2; i++) expect(limiter.take('k', 1_000_000).ok).toBe(true);
    expect(limiter.take('k', 1_000_000).ok).toBe(false);
  });

  it('is off with a rate of 0', () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 100; i++) expect(limiter.take('k', 0).ok).toBe(true);
  });

  it('refuses a rate that is not a number instead of answering every request 429 with Retry-After: NaN', () => {
    expect(() => new RateLimiter(Number('600/min'))).toThrow(/rate limit must be a number >= 0/);
    expect(() => new RateLimiter(-1)).toThrow(/rate limit must be a number >= 0/);
  });

  it('takes several tokens for an expensive request, at most a full bucket, and none when too few are left', () => {
    const limiter = new RateLimiter(60, 10); // one token a second
    expect(limiter.take('k', 0, 6).ok).toBe(true);
    expect(limiter.take('k', 0, 6)).toEqual({ ok: false, retryAfterSeconds: 2 });
    expect(limiter.take('k', 0, 4).ok).toBe(true);
    expect(limiter.take('k', 0).ok).toBe(false);
    expect(limiter.take('k', 60_000, 50).ok).toBe(true); // capped at the burst of 10
    expect(limiter.take('other', 0).ok).toBe(true);
  });
});
