import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { Endpoint } from '../common/endpoint';
import { ZodValidationPipe } from '../common/pipes/zod-validation.pipe';
import { IhrReportSchema, ReportQuery, reportQuery } from './report.schemas';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('ihr')
  @Roles('admin', 'agent')
  @Endpoint({
    operationId: 'ihrReport',
    summary:
      'IHR compliance of incidents due in [from, to): met/breached/pending counts and % by plan, severity, ' +
      'account or center, with the breach list (at most 200, by due instant; ' +
      'breachesTruncated says when there were more)',
    description:
      '`from` defaults to 30 days before `to`, `to` to now. Counted through the visibility count API: ' +
      'the report does not read every incident. `lateResponses`: responses recorded more than 15 minutes after ' +
      'the `respondedAt` they claim, with the recording key (at most 200, by `recordedAt`; ' +
      '`lateResponsesTruncated` says when there were more).',
    query: reportQuery,
    responses: { 200: { description: 'The report', schema: IhrReportSchema } },
  })
  ihr(@Query(new ZodValidationPipe(reportQuery)) query: ReportQuery) {
    return this.reports.ihr(query);
  }
}
