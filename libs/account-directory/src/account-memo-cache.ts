import type { AccountMemo } from '../../contracts/src/account';

type Reader = (accountId: string) => Promise<AccountMemo | undefined>;

interface Entry {
  read: Promise<AccountMemo | undefined>;
  expiresAt: number;
}

/**
 * Account memos for the hot path of intake, kept `ttlMs` and shared by concurrent readers (a burst of
 * incidents for one account makes one describe, not one each). Bounded staleness is acceptable there
 * because every rejection is decided on a fresh read (`fresh: true`) and writes through this process
 * invalidate their account; another API replica's write shows here within `ttlMs`.
 * `ttlMs` 0 turns caching off.
 */
export class AccountMemoCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly read: Reader,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(accountId: string, options: { fresh?: boolean } = {}): Promise<AccountMemo | undefined> {
    const cached = this.entries.get(accountId);
    if (!options.fresh && cached && cached.expiresAt > this.now()) return cached.read;
    const read = this.read(accountId);
    if (this.ttlMs > 0) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(accountId, { read, expiresAt: this.now() + this.ttlMs });
      // Failures and unknown accounts are not kept: the next request asks again.
      read.then(
        (memo) => memo === undefined && this.forget(accountId, read),
        () => this.forget(accountId, read),
      );
    }
    return read;
  }

  invalidate(accountId: string): void {
    this.entries.delete(accountId);
  }

  private forget(accountId: string, read: Promise<AccountMemo | undefined>): void {
    if (this.entries.get(accountId)?.read === read) this.entries.delete(accountId);
  }
}
