import { Injectable } from '@nestjs/common';
import { AccountMemo } from '../../../../libs/contracts/src';
import { Principal } from '../../../../libs/auth/src';
import { AccountsService } from '../accounts/accounts.service';
import { Problem } from '../common/problem';

/**
 * Customer keys see and act on their own account, and partner keys also on the customer accounts
 * linked to their partner account. Anything else answers 404, so account IDs do not leak.
 */
@Injectable()
export class AccountAccess {
  constructor(private readonly accounts: AccountsService) {}

  /** The account's memo if the caller may act on it. */
  async assert(principal: Principal, accountId: string): Promise<AccountMemo> {
    const memo = await this.accounts.memoOrUndefined(accountId);
    if (!memo || !this.allows(principal, memo)) throw Problem.notFound(`No account ${accountId}.`);
    return memo;
  }

  allows(principal: Principal, memo: AccountMemo): boolean {
    if (principal.role !== 'customer') return true;
    return (
      memo.account.accountId === principal.accountId ||
      (memo.account.partnerId !== null && memo.account.partnerId === principal.accountId)
    );
  }
}
