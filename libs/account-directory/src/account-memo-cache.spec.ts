import type { AccountMemo } from '../../contracts/src/account';
import { AccountMemoCache } from './account-memo-cache';

const memo = (accountId: string, plan = 'SP2') =>
  ({ account: { accountId, plan }, contacts: [], changeCount: 0 }) as unknown as AccountMemo;

function setup(
  ttlMs: number,
  answer: (id: string) => Promise<AccountMemo | undefined> = async (id) => memo(id),
  maxEntries?: number,
) {
  let now = 1_000;
  const reads: string[] = [];
  const cache = new AccountMemoCache(
    (id) => {
      reads.push(id);
      return answer(id);
    },
    ttlMs,
    maxEntries,
    () => now,
  );
  return { cache, reads, advance: (ms: number) => (now += ms) };
}

describe('AccountMemoCache', () => {
  it('shares one read between concurrent and later callers within the ttl, then reads again', async () => {
    const { cache, reads, advance } = setup(2_000);
    const [a, b] = await Promise.all([cache.get('acme'), cache.get('acme')]);
    expect(a).toBe(b);
    advance(1_999);
    await cache.get('acme');
    expect(reads).toEqual(['acme']);
    advance(1);
    await cache.get('acme');
    expect(reads).toEqual(['acme', 'acme']);
  });

  it('reads again when asked for a fresh memo, and keeps that one', async () => {
    const { cache, reads } = setup(2_000);
    await cache.get('acme');
    await cache.get('acme', { fresh: true });
    await cache.get('acme');
    expect(reads).toEqual(['acme', 'acme']);
  });

  it('drops an account on invalidate', async () => {
    const { cache, reads } = setup(2_000);
    await cache.get('acme');
    cache.invalidate('acme');
    await cache.get('acme');
    expect(reads).toEqual(['acme', 'acme']);
  });

  it('keeps neither unknown accounts nor failed reads', async () => {
    let fail = true;
    const { cache, reads } = setup(2_000, async (id) => {
      if (id === 'ghost') return undefined;
      if (fail) throw new Error('unavailable');
      return memo(id);
    });
    expect(await cache.get('ghost')).toBeUndefined();
    expect(await cache.get('ghost')).toBeUndefined();
    await expect(cache.get('acme')).rejects.toThrow('unavailable');
    fail = false;
    expect(await cache.get('acme')).toEqual(memo('acme'));
    expect(reads).toEqual(['ghost', 'ghost', 'acme', 'acme']);
  });

  it('reads every time with ttl 0', async () => {
    const { cache, reads } = setup(0);
    await cache.get('acme');
    await cache.get('acme');
    expect(reads).toEqual(['acme', 'acme']);
  });

  it('holds at most maxEntries accounts, evicting the oldest', async () => {
    const { cache, reads } = setup(60_000, undefined, 2);
    await cache.get('a');
    await cache.get('b');
    await cache.get('c');
    await cache.get('c');
    await cache.get('b');
    await cache.get('a');
    expect(reads).toEqual(['a', 'b', 'c', 'a']);
  });
});
