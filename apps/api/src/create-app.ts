import type { Duplex } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { createLogger, PinoNestLogger } from '../../../libs/observability/src';
import { ApiModule, ApiModuleOptions } from './app.module';
import { ResponseSerializer } from './common/endpoint';
import { buildOpenApiDocument } from './common/openapi';
import { ProblemFilter } from './common/problem.filter';

export const BODY_LIMIT = '256kb';

/**
 * Node's HTTP parser refuses some requests before Express sees them (request line or headers over
 * 16 kB: 431; malformed HTTP: 400) and answers them bare. Those answers are problem+json too.
 */
function answerParserErrorsAsProblems(app: NestExpressApplication): void {
  app.getHttpServer().on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const title = status === 431 ? 'Request header fields too large' : 'Bad request';
    const detail = status === 431 ? 'The request line and headers exceed 16 kB.' : 'The request is not valid HTTP.';
    const body = JSON.stringify({ type: 'about:blank', title, status, detail });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

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
  answerParserErrorsAsProblems(app);
  app.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  // Errors raised before routing (unknown paths, body parsing) get problem+json too.
  app.useGlobalFilters(new ProblemFilter());
  // Every answer leaves through the response schema its operation documents.
  app.useGlobalInterceptors(new ResponseSerializer());

  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'openapi.json',
    // Keep the key entered with Authorize across page reloads of /docs.
    swaggerOptions: { persistAuthorization: true },
  });
  return app;
}
