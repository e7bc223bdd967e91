import { workerCacheSize } from './sla-worker';

describe('workerCacheSize (WORKER_MAX_CACHED_WORKFLOWS)', () => {
  it('keeps 10,000 workflows unless told otherwise', () => {
    expect(workerCacheSize({})).toBe(10_000);
    expect(workerCacheSize({ WORKER_MAX_CACHED_WORKFLOWS: ' ' })).toBe(10_000);
  });

  it('takes a whole number, 0 turning the cache off', () => {
    expect(workerCacheSize({ WORKER_MAX_CACHED_WORKFLOWS: '2500' })).toBe(2_500);
    expect(workerCacheSize({ WORKER_MAX_CACHED_WORKFLOWS: '0' })).toBe(0);
  });

  it.each(['-1', '1.5', 'lots'])('refuses %s at startup, naming the variable', (raw) => {
    expect(() => workerCacheSize({ WORKER_MAX_CACHED_WORKFLOWS: raw })).toThrow(
      /WORKER_MAX_CACHED_WORKFLOWS="[^"]*": must be a whole number from 0 to 1000000/,
    );
  });
});
