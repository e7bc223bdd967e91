import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { readAccountMemo } from '../libs/account-directory/src';
import { TEMPORAL_CLIENT } from '../libs/settings/src/nest';
import { TamDirectory } from './tam-directory';

/**
 * The TAM of an account at notification time, from the account workflow's memo (answers without
 * the account's worker). The `tamId` stored on accounts is the TAM's address.
 */
@Injectable()
export class AccountTamDirectory implements TamDirectory {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async tamFor(accountId: string): Promise<string | undefined> {
    return (await readAccountMemo(this.client, accountId))?.account.tamId ?? undefined;
  }
}
