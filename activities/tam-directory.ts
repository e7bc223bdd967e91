import { Injectable } from '@nestjs/common';

/** The id of the account's Technical Account Manager (`tamId`, a key of the people directory), at notification time. */
export interface TamDirectory {
  tamFor(accountId: string): Promise<string | undefined>;
  /** The account's first registered contact: the customer side of task invitations. */
  primaryContact(accountId: string): Promise<{ name: string; email: string } | undefined>;
}

/** Nest token for the `TamDirectory` the notification activities use (the accounts side binds the real one). */
export const TAM_DIRECTORY = Symbol('TAM_DIRECTORY');

/** Default: no account has a TAM. */
@Injectable()
export class NoTamDirectory implements TamDirectory {
  async tamFor(): Promise<string | undefined> {
    return undefined;
  }

  async primaryContact(): Promise<{ name: string; email: string } | undefined> {
    return undefined;
  }
}
