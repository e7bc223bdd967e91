import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Problem } from './problem';

/** Errors thrown by Express' body parser before Nest sees the request. */
interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

const BODY_PARSER_PROBLEMS: Record<string, (e: BodyParserError) => Problem> = {
  'entity.parse.failed': () =>
    new Problem(400, 'Malformed JSON', 'The body is not valid JSON.', [{ field: 'body', rule: 'json', message: 'must be valid JSON' }]),
  'entity.too.large': () =>
    new Problem(413, 'Payload too large', 'The body exceeds the size limit.', [{ field: 'body', rule: 'maxSize', message: 'body is too large' }]),
  'encoding.unsupported': (e) => new Problem(415, 'Unsupported encoding', e.message),
  'charset.unsupported': (e) => new Problem(415, 'Unsupported charset', e.message),
};

export function toProblem(error: unknown): Problem | undefined {
  if (error instanceof Problem) return error;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Nest wraps body-parser failures (malformed JSON, size) into these.
    if (status === 400 && error.message.includes('JSON')) return BODY_PARSER_PROBLEMS['entity.parse.failed']({ message: error.message });
    if (status === 413) return BODY_PARSER_PROBLEMS['entity.too.large']({ message: error.message });
    return new Problem(status, error.message, status === 404 ? 'No such resource.' : error.message);
  }
  const parserError = error as BodyParserError;
  const known = parserError && typeof parserError.type === 'string' ? BODY_PARSER_PROBLEMS[parserError.type] : undefined;
  return known?.(parserError);
}

/** Every error leaves the API as problem+json; unexpected ones are logged and become a plain 500. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    let problem = toProblem(error);
    if (!problem) {
      this.logger.error(`${request.method} ${request.url} failed`, error instanceof Error ? error.stack : String(error));
      problem = new Problem(500, 'Internal error', 'The server failed to handle the request; it has been logged.');
    }
    response.set(problem.headers);
    response
      .status(problem.status)
      .type('application/problem+json')
      .json({
        type: 'about:blank',
        title: problem.title,
        status: problem.status,
        detail: problem.detail,
        instance: request.originalUrl ?? request.url,
        ...(problem.errors.length > 0 ? { errors: problem.errors } : {}),
        ...problem.extra,
      });
  }
}
