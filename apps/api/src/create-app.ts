import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { createLogger, PinoNestLogger } from '../../../libs/observability/src';
import { ApiModule, ApiModuleOptions } from './app.module';
import { ProblemFilter } from './common/problem.filter';

export const BODY_LIMIT = '256kb';

/** The configured Nest application (not listening yet): used by main.ts and by the tests. */
/** `logger`: where logs go (default: pino JSON on stdout); `quiet`: no framework logs (tests). */
export async function createApiApp(
  options: Omit<ApiModuleOptions, 'logger'> & { logger?: Logger; quiet?: boolean },
): Promise<NestExpressApplication> {
  const logger = options.logger ?? createLogger('api');
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register({ ...options, logger }), {
    bodyParser: false,
    logger: options.quiet ? false : new PinoNestLogger(logger),
  });
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  // Errors raised before routing (unknown paths, body parsing) get problem+json too.
  app.useGlobalFilters(new ProblemFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Support SLA engine')
      .setDescription('Incidents, IHR clocks and escalation on Temporal. Errors are application/problem+json (RFC 9457).')
      .setVersion('v1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  return app;
}
