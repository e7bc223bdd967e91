import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';
import { z } from 'zod';

/** Response headers documented once (components.headers) and named by operations. */
export type HeaderName = 'Location' | 'Retry-After' | 'WWW-Authenticate';

export interface ResponseSpec {
  description: string;
  /** The body; it also serializes the answer (unknown members are dropped, a mismatch is a 500). */
  schema?: z.ZodType;
  /** Media type when not JSON (e.g. Prometheus text). */
  contentType?: string;
  headers?: HeaderName[];
  example?: unknown;
}

export type ErrorStatus = 400 | 403 | 404 | 409 | 413 | 422 | 503;

export interface EndpointSpec {
  operationId: string;
  summary: string;
  description?: string;
  /** Path parameters, by name. */
  params?: Record<string, z.ZodType>;
  /** The query: an object schema whose keys are the parameters (`.meta({ deprecated: true })` marks an alias). */
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyExample?: unknown;
  /** Whether the operation takes the optional `Idempotency-Key` header. */
  idempotencyKey?: boolean;
  /**
   * Whether the operation calls Temporal (default true for operations behind a key): every such call
   * has a deadline, and a Temporal server that does not answer in time is a 503 with `Retry-After`.
   * `false` for answers from the policy alone.
   */
  temporal?: boolean;
  /** Success answers by status. */
  responses: Record<number, ResponseSpec>;
  /**
   * Errors beyond the ones derived from the rest (400 for any input, 401/429 unless public,
   * 403 when some role may not call it, 413 with a body, 503 when it calls Temporal), with what
   * they mean here (a description here also rewords a derived one).
   */
  errors?: Partial<Record<ErrorStatus, string>>;
}

/** A controller class and one of its handler methods, as decorators see them (metadata is read from both). */
type ControllerClass = abstract new (...args: never[]) => unknown;
type HandlerMethod = (...args: never[]) => unknown;

export interface RegisteredEndpoint {
  spec: EndpointSpec;
  controller: ControllerClass;
  handler: HandlerMethod;
}

/** Every described operation, by Nest's default operation id `<Controller>_<method>`. */
export const ENDPOINTS = new Map<string, RegisteredEndpoint>();

const keyOf = (controller: ControllerClass, method: string | symbol) => `${controller.name}_${String(method)}`;

/**
 * Describes an operation once: the document (parameters, body, answers, errors, headers) and the
 * serialization of its answer both come from this spec.
 */
export function Endpoint(spec: EndpointSpec): MethodDecorator {
  return (target, method, descriptor) => {
    const controller = target.constructor as ControllerClass;
    ENDPOINTS.set(keyOf(controller, method), { spec, controller, handler: descriptor.value as HandlerMethod });
  };
}

/**
 * Writes every answer through its response schema: the body is exactly the documented shape
 * (members the schema does not name are dropped), and an answer that does not fit fails loudly as
 * a 500 (logged by the problem filter) instead of reaching a client as undocumented data.
 */
@Injectable()
export class ResponseSerializer implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const endpoint = ENDPOINTS.get(keyOf(context.getClass(), context.getHandler().name));
    if (!endpoint) return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body) => {
        const answers = endpoint.spec.responses;
        const spec = answers[response.statusCode] ?? Object.values(answers).find((r) => r.schema);
        if (!spec?.schema) return body;
        const result = spec.schema.safeParse(body);
        if (!result.success) {
          throw new Error(
            `${endpoint.spec.operationId}: the answer does not match its schema: ${z.prettifyError(result.error)}`,
          );
        }
        return result.data;
      }),
    );
  }
}
