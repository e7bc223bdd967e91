import { Module } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { AccountMemoCache, readAccountMemo } from '../../../../libs/account-directory/src';
import { AppConfig } from '../../../../libs/settings/src';
import { AccountAccess } from '../auth/account-access';
import { APP_CONFIG } from '../core/app-config';
import { TEMPORAL_CLIENT } from '../temporal.providers';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';

/** Accounts and contacts; exports the account reads and the per-caller access check other resources use. */
@Module({
  controllers: [AccountsController],
  providers: [
    {
      provide: AccountMemoCache,
      inject: [TEMPORAL_CLIENT, APP_CONFIG],
      useFactory: (client: Client, config: AppConfig) =>
        new AccountMemoCache((id) => readAccountMemo(client, id), config.API_ACCOUNT_CACHE_MS),
    },
    AccountsService,
    AccountAccess,
  ],
  exports: [AccountsService, AccountAccess],
})
export class AccountsModule {}
