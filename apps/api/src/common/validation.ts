import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { ZodValidationPipe } from './pipes/zod-validation.pipe';

/**
 * A free-text value that ends up in a Temporal visibility query (plan, center, tam, owner filters):
 * bounded, and without control characters. `literal()` escapes quotes, but a NUL or another control
 * character made the server refuse the query with an error the client retries for ~22 s before the
 * API answered 500; refused here, at once, as a 400 naming the parameter.
 */
export function filterValue(max: number) {
  return z
    .string('must be given once')
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !/\p{Cc}/u.test(value), {
      message: 'must not contain control characters',
      params: { rule: 'noControlCharacters' },
    });
}

/** The `Idempotency-Key` header: optional, bounded. */
export const idempotencyKeySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .optional();

/** The raw `Idempotency-Key` header (undefined when absent). */
const IdempotencyKeyHeader = createParamDecorator((_data: unknown, ctx: ExecutionContext): unknown => {
  return ctx.switchToHttp().getRequest<Request>().headers['idempotency-key'];
});

/**
 * The validated `Idempotency-Key` header of a command (undefined when absent). A parameter decorator
 * rather than `@Headers()`, so the header is read and checked in one place.
 */
export const IdempotencyKey = () =>
  IdempotencyKeyHeader(new ZodValidationPipe(idempotencyKeySchema, 'Idempotency-Key'));
