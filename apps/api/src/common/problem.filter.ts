import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Problem } from './problem';
import { commandKeyOf } from './update-id';

/** Errors thrown by Express' body parser before Nest sees the request. */
interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

const BODY_PARSER_PROBLEMS: Record<string, (e: BodyParserError) => Problem> = {
  'entity.parse.failed': () =>
    new Problem(400, 'Malformed JSON', 'The body is not valid JSON.', [
      { field: 'body', rule: 'json', message: 'must be valid JSON' },
    ]),
  'entity.too.large': () =>
    new Problem(413, 'Payload too large', 'The body exceeds the size limit.', [
      { field: 'body', rule: 'maxSize', message: 'body is too large' },
    ]),
  'encoding.unsupported': (e) => new Problem(415, 'Unsupported encoding', e.message),
  'charset.unsupported': (e) => new Problem(415, 'Unsupported charset', e.message),
};

/** gRPC status codes meaning "Temporal did not answer" rather than "the request is wrong". */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/**
 * Whether Temporal did not answer in time (or at all): the client wraps the gRPC error (ServiceError
 * and others keep it as `cause`), so the chain is walked.
 */
export function isTemporalUnavailable(error: unknown): boolean {
  for (
    let e = error, depth = 0;
    e && typeof e === 'object' && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if ((code === GRPC_DEADLINE_EXCEEDED || code === GRPC_UNAVAILABLE) && 'details' in e) return true;
  }
  return false;
}

export function toProblem(error: unknown): Problem | undefined {
  if (error instanceof Problem) return error;
  if (isTemporalUnavailable(error)) return Problem.unavailable('Temporal did not answer in time; retry shortly.');
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Nest wraps body-parser failures (malformed JSON, size) into these.
    if (status === 400 && error.message.includes('JSON'))
      return BODY_PARSER_PROBLEMS['entity.parse.failed']({ message: error.message });
    if (status === 413) return BODY_PARSER_PROBLEMS['entity.too.large']({ message: error.message });
    return new Problem(status, error.message, status === 404 ? 'No such resource.' : error.message);
  }
  const parserError = error as BodyParserError;
  const known =
    parserError && typeof parserError.type === 'string' ? BODY_PARSER_PROBLEMS[parserError.type] : undefined;
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
      this.logger.error(
        `${request.method} ${request.url} failed`,
        error instanceof Error ? error.stack : String(error),
      );
      problem = new Problem(500, 'Internal error', 'The server failed to handle the request; it has been logged.');
    }
    // A command answered 503 names its key: retried with it, the command applies at most once.
    const commandKey = problem.status === 503 ? commandKeyOf(request) : undefined;
    if (commandKey) problem = problem.withExtra({ idempotencyKey: commandKey }, { 'Idempotency-Key': commandKey });
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
