import { Injectable } from '@nestjs/common';

/** Who the account's Technical Account Manager is (an address), resolved at notification time. */
export interface TamDirectory {
  tamFor(accountId: string): Promise<string | undefined>;
}

/** Nest token for the `TamDirectory` the notification activities use (the accounts side binds the real one). */
export const TAM_DIRECTORY = Symbol('TAM_DIRECTORY');

/** Default: no account has a TAM. */
@Injectable()
export class NoTamDirectory implements TamDirectory {
  async tamFor(): Promise<string | undefined> {
    return undefined;
  }
}
