import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { AccountMemo } from '../../contracts/src/account';
import { accountWorkflowId } from '../../contracts/src/names';

/**
 * An account as its workflow's memo has it: answers without the account's worker (API reads, TAM
 * lookups at notification time, schedule sync). Undefined when there is no such account, or its
 * workflow was ended by hand. Memo merging drops empty arrays, so they are restored here.
 */
export async function readAccountMemo(client: Client, accountId: string): Promise<AccountMemo | undefined> {
  let description;
  try {
    description = await client.workflow.getHandle(accountWorkflowId(accountId)).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
  if (description.status.name !== 'RUNNING' && description.status.name !== 'CONTINUED_AS_NEW') return undefined;
  return normalizeAccountMemo(description.memo);
}

export function normalizeAccountMemo(memo: Record<string, unknown> | undefined): AccountMemo | undefined {
  const value = memo as Partial<AccountMemo> | undefined;
  if (!value?.account) return undefined;
  return { account: value.account, contacts: value.contacts ?? [], changeCount: value.changeCount ?? 0 };
}
export * from './account-memo-cache';
