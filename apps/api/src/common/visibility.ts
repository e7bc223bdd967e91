import { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { Problem } from './problem';

export interface Page<T> {
  items: T[];
  /** Opaque: pass as `pageToken` for the next page; absent on the last page. */
  nextPageToken?: string;
}

/** A visibility string literal: quotes and backslashes escaped. */
export const literal = (value: string): string => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** `A = "x" AND B = 3`, skipping undefined conditions. */
export function andQuery(conditions: Array<string | undefined | false>): string {
  return conditions.filter(Boolean).join(' AND ');
}

/** One page of a visibility query, with memo and search attributes decoded. */
export async function listPage(client: Client, query: string, pageSize: number, pageToken?: string): Promise<Page<WorkflowExecutionInfo>> {
  let nextPageToken: Buffer | undefined;
  if (pageToken) {
    nextPageToken = Buffer.from(pageToken, 'base64url');
    if (nextPageToken.length === 0) throw Problem.badRequest([{ field: 'pageToken', rule: 'format', message: 'is not a page token from this API' }]);
  }
  const namespace = client.options.namespace;
  let response;
  try {
    response = await client.workflowService.listWorkflowExecutions({ namespace, query, pageSize, nextPageToken });
  } catch (error) {
    if ((error as { code?: number }).code === 3 /* INVALID_ARGUMENT */ && pageToken) {
      throw Problem.badRequest([{ field: 'pageToken', rule: 'format', message: 'is not a valid page token' }]);
    }
    throw error;
  }
  const items = await Promise.all(
    (response.executions ?? []).map((raw) => executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, namespace)),
  );
  const token = response.nextPageToken?.length ? Buffer.from(response.nextPageToken).toString('base64url') : undefined;
  return { items: items as WorkflowExecutionInfo[], nextPageToken: token };
}
