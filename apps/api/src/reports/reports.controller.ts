import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { z } from 'zod';
import { Roles } from '../auth/auth.decorators';
import { Endpoint } from '../common/endpoint';
import { Problem } from '../common/problem';
import { parseOrThrow } from '../common/validation';
import { andQuery, listPage, literal } from '../common/visibility';
import { incidentSummary, IncidentSummary, UNSUMMARIZED_MEMO } from '../incidents/incident-summary';
import { TEMPORAL_CLIENT } from '../temporal.providers';
import { buildIhrReport, GROUP_BY } from './ihr-report';
import { IhrReportSchema } from './report.schemas';

/** A report reads every matching incident from visibility; beyond this, narrow the period. */
const MAX_INCIDENTS = 50_000;
const DAY = 86400_000;

const reportQuery = z
  .strictObject({
    from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant with offset' }).optional(),
    to: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant with offset' }).optional(),
    groupBy: z.enum(GROUP_BY, `must be one of ${GROUP_BY.join(', ')}`).default('plan'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'must be after from', path: ['to'] });

@ApiTags('reports')
@Controller('v1/reports')
export class ReportsController {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  @Get('ihr')
  @Roles('admin', 'agent')
  @Endpoint({
    operationId: 'ihrReport',
    summary: 'IHR compliance of incidents due in [from, to): met/breached/pending counts and % by plan, severity, account or center, with the breach list',
    description: '`from` defaults to 30 days before `to`, `to` to now.',
    query: reportQuery,
    responses: { 200: { description: 'The report', schema: IhrReportSchema } },
    errors: { 422: 'The period holds too many incidents; narrow it' },
  })
  async ihr(@Query() query: unknown) {
    const q = parseOrThrow(reportQuery, query);
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
    const visibility = andQuery([
      'WorkflowType = "incidentWorkflow"',
      `SlaIhrDueAt >= ${literal(from.toISOString())}`,
      `SlaIhrDueAt < ${literal(to.toISOString())}`,
    ]);
    const { count } = await this.client.workflow.count(visibility);
    if (count > MAX_INCIDENTS) {
      throw Problem.unprocessable([{ field: 'from', rule: 'maxIncidents', message: `the period holds ${count} incidents; narrow it to at most ${MAX_INCIDENTS}` }]);
    }
    const incidents: IncidentSummary[] = [];
    let pageToken: string | undefined;
    do {
      const page = await listPage(this.client, visibility, 1000, pageToken, UNSUMMARIZED_MEMO);
      incidents.push(...page.items.map(incidentSummary));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return buildIhrReport(incidents, from.toISOString(), to.toISOString(), q.groupBy);
  }
}
