import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { readAccountMemo } from '../libs/account-directory/src';
import { TEMPORAL_CLIENT } from '../libs/settings/src/nest';
import { TamDirectory } from './tam-directory';

/**
 * The TAM of an account at notification time, from the account workflow's memo (answers without
 * the account's worker): its `tamId`, which the people directory maps to a person.
 */
@Injectable()
export class AccountTamDirectory implements TamDirectory {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async tamFor(accountId: string): Promise<string | undefined> {
    return (await readAccountMemo(this.client, accountId))?.account.tamId ?? undefined;
  }

  async primaryContact(accountId: string): Promise<{ name: string; email: string } | undefined> {
    const contact = (await readAccountMemo(this.client, accountId))?.contacts[0];
    return contact ? { name: contact.name, email: contact.email } : undefined;
  }
}
