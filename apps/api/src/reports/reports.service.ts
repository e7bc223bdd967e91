import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { IncidentMemo, LATE_RESPONSE_FLAG, SA, SEVERITIES, WORKFLOW_TYPES } from '../../../../libs/contracts/src';
import { Policy, POLICY } from '../../../../libs/policy/src';
import { andQuery, listPage, literal } from '../common/visibility';
import { incidentSummary, IncidentSummary, UNSUMMARIZED_MEMO } from '../incidents/incident-summary';
import { TEMPORAL_CLIENT } from '../temporal.providers';
import {
  assembleIhrReport,
  countByKey,
  emptyCounts,
  GroupBy,
  groupCountQuery,
  IhrReport,
  IncidentLateResponses,
  lateResponseList,
  MAX_BREACHES,
  MAX_LATE_RESPONSES_LISTED,
  residueQuery,
  StateCounts,
  STATES,
} from './ihr-report';
import { ReportQuery } from './report.schemas';

const DAY = 86400_000;
/** Count calls in flight at once: enough to hide each call's latency, few enough to leave visibility to others. */
const COUNT_CONCURRENCY = 8;
/**
 * Rows per list page: an incident's memo (its whole status) travels with each row and is dropped only here,
 * so 1000 rows passed gRPC's 4 MB message limit on the cluster (a RESOURCE_EXHAUSTED the client retried for ~50 s).
 */
const PAGE_SIZE = 200;

/** Runs the tasks with at most `limit` in flight; results in task order. */
async function bounded<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}

/**
 * The report counts, it does not read every incident: per group, one visibility count for the group and
 * one per IHR state of a non-empty group (SQL visibility counts GROUP BY ExecutionStatus only, not by a
 * custom attribute). Only the breach list (at most MAX_BREACHES) and incidents whose key is outside the
 * known ones (expected none) are listed.
 */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  async ihr(q: ReportQuery): Promise<IhrReport> {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
    const base = andQuery([
      `WorkflowType = ${literal(WORKFLOW_TYPES.incident)}`,
      `SlaIhrDueAt >= ${literal(from.toISOString())}`,
      `SlaIhrDueAt < ${literal(to.toISOString())}`,
    ]);
    const count = async (visibility: string) => (await this.client.workflow.count(visibility)).count;

    const keys = await this.groupKeys(q.groupBy);
    const sizes = await bounded(
      keys.map((key) => () => count(groupCountQuery(base, q.groupBy, key))),
      COUNT_CONCURRENCY,
    );
    const present = keys.filter((_, i) => sizes[i] > 0);
    const stateCounts = await bounded(
      present.flatMap((key) => STATES.map((state) => () => count(groupCountQuery(base, q.groupBy, key, state)))),
      COUNT_CONCURRENCY,
    );
    const counts = new Map<string, StateCounts>();
    present.forEach((key, i) => {
      const c = emptyCounts();
      STATES.forEach((state, j) => (c[state] = stateCounts[i * STATES.length + j]));
      counts.set(key, c);
    });
    // Incidents whose key is not a known one (a plan or center since removed from the policy): read and counted here.
    const residue = await this.listAll(residueQuery(base, q.groupBy, keys));
    for (const [key, c] of countByKey(residue, q.groupBy)) counts.set(key, c);

    // The counts say how many breached: the list stops at MAX_BREACHES (one page), and says when it is short.
    const breached: IncidentSummary[] = [];
    let pageToken: string | undefined;
    do {
      const breachedQuery = `${base} AND SlaState = "breached"`;
      const size = Math.min(PAGE_SIZE, MAX_BREACHES);
      const page = await listPage(this.client, breachedQuery, size, pageToken, UNSUMMARIZED_MEMO);
      breached.push(...page.items.map(incidentSummary));
      pageToken = page.nextPageToken;
    } while (pageToken && breached.length < MAX_BREACHES);
    const totalBreached = [...counts.values()].reduce((sum, c) => sum + c.breached, 0);
    const listed = breached.slice(0, MAX_BREACHES);
    const truncated = totalBreached > listed.length;
    const late = await this.lateResponses(base);
    return assembleIhrReport(from.toISOString(), to.toISOString(), q.groupBy, counts, listed, truncated, late);
  }

  /** Late-recorded responses of the period: incidents flagged SlaLateResponse, at most one list's worth. */
  private async lateResponses(base: string) {
    const incidents: IncidentLateResponses[] = [];
    let pageToken: string | undefined;
    do {
      const visibility = `${base} AND ${SA.lateResponse.name} = ${literal(LATE_RESPONSE_FLAG)}`;
      const page = await listPage(this.client, visibility, PAGE_SIZE, pageToken, UNSUMMARIZED_MEMO);
      for (const item of page.items) {
        const memo = (item.memo ?? {}) as Partial<IncidentMemo>;
        const incidentId = item.workflowId.replace(/^incident\//, '');
        incidents.push({ incidentId, lateResponses: memo.lateResponses, lateResponseCount: memo.lateResponseCount });
      }
      pageToken = page.nextPageToken;
    } while (pageToken && incidents.length < MAX_LATE_RESPONSES_LISTED);
    return lateResponseList(incidents, pageToken !== undefined);
  }

  /** The keys a group can have: from the policy, or for accounts the account workflows (far fewer than incidents). */
  private async groupKeys(groupBy: GroupBy): Promise<string[]> {
    switch (groupBy) {
      case 'plan':
        return this.policy.planIds();
      case 'center':
        return this.policy.centerIds();
      case 'severity':
        return SEVERITIES.map(String);
      case 'account': {
        const ids = new Set<string>();
        let pageToken: string | undefined;
        do {
          const accounts = `WorkflowType = ${literal(WORKFLOW_TYPES.account)}`;
          const memo = ['account', 'contacts', 'changeCount'];
          const page = await listPage(this.client, accounts, PAGE_SIZE, pageToken, memo);
          for (const item of page.items) {
            const id = item.typedSearchAttributes.get(SA.accountId);
            if (id) ids.add(id);
          }
          pageToken = page.nextPageToken;
        } while (pageToken);
        return [...ids];
      }
    }
  }

  private async listAll(visibility: string): Promise<IncidentSummary[]> {
    const incidents: IncidentSummary[] = [];
    let pageToken: string | undefined;
    do {
      const page = await listPage(this.client, visibility, PAGE_SIZE, pageToken, UNSUMMARIZED_MEMO);
      incidents.push(...page.items.map(incidentSummary));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return incidents;
  }
}
