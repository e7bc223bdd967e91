import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { ZodValidationPipe } from './pipes/zod-validation.pipe';
import { assignCommandKey } from './update-id';

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

/** The validated `Idempotency-Key` header (undefined when absent) and the request's command key. */
function commandKeyOf(ctx: ExecutionContext): { given: string | undefined; key: string } {
  const request = ctx.switchToHttp().getRequest<Request>();
  const header: unknown = request.headers['idempotency-key'];
  const given = new ZodValidationPipe(idempotencyKeySchema, 'Idempotency-Key').transform(header, { type: 'custom' });
  return { given, key: assignCommandKey(request, given) };
}

/**
 * The command key of the request: the validated `Idempotency-Key` header, or a key generated for the
 * request when it has none. Validated here rather than by a pipe on the parameter, because the key is also
 * remembered on the request: a 503 answer returns it (problem.filter.ts, update-id.ts).
 */
export const IdempotencyKey = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): string => commandKeyOf(ctx).key,
);

/**
 * For an operation that is a command only when the client names a key (a priority change): the client's
 * key, or undefined. A 503 still names a generated key: a retry with it is a command.
 */
export const ClientIdempotencyKey = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): string | undefined => commandKeyOf(ctx).given,
);
