import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiModule, ApiModuleOptions } from './app.module';
import { ProblemFilter } from './common/problem.filter';

export const BODY_LIMIT = '256kb';

/** The configured Nest application (not listening yet): used by main.ts and by the tests. */
export async function createApiApp(options: ApiModuleOptions & { logger?: false }): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(options), {
    bodyParser: false,
    logger: options.logger ?? ['error', 'warn', 'log'],
  });
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  // Errors raised before routing (unknown paths, body parsing) get problem+json too.
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();

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
