import { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { Problem } from './problem';

const TOKEN_WAIT_MS = 3_000;

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

const badToken = () =>
  Problem.badRequest([{ field: 'pageToken', rule: 'format', message: 'is not a page token from this API' }]);

/**
 * Visibility page tokens are JSON (SQL and Elasticsearch stores alike): anything else is refused here,
 * because the server answers a garbage token with a retryable error the client would retry for ~20 s.
 */
function decodePageToken(pageToken: string): Buffer {
  const raw = Buffer.from(pageToken, 'base64url');
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return raw;
  } catch {
    // not JSON
  }
  throw badToken();
}

/**
 * One page of a visibility query, with memo and search attributes decoded; `omitMemo` names memo fields
 * the caller never reads, dropped undecoded (an incident's whole status is the large one).
 */
export async function listPage(
  client: Client,
  query: string,
  pageSize: number,
  pageToken?: string,
  omitMemo: readonly string[] = [],
): Promise<Page<WorkflowExecutionInfo>> {
  const nextPageToken = pageToken === undefined ? undefined : decodePageToken(pageToken);
  const namespace = client.options.namespace;
  const list = () => client.workflowService.listWorkflowExecutions({ namespace, query, pageSize, nextPageToken });
  let response;
  try {
    // A forged token that still parses is refused by the server after retries: bound the wait (the
    // answer comes after 3-5 s: the client's retry backoff may outlive the deadline, and racing a timer
    // instead would leave its retries running after the answer).
    response = nextPageToken ? await client.connection.withDeadline(Date.now() + TOKEN_WAIT_MS, list) : await list();
  } catch (error) {
    if (nextPageToken) throw badToken();
    throw error;
  }
  const items = await Promise.all(
    (response.executions ?? []).map((raw) => {
      const fields = raw.memo?.fields;
      if (fields) for (const name of omitMemo) delete fields[name];
      return executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, namespace);
    }),
  );
  const token = response.nextPageToken?.length ? Buffer.from(response.nextPageToken).toString('base64url') : undefined;
  return { items: items as WorkflowExecutionInfo[], nextPageToken: token };
}
