import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { FieldError, Problem } from './problem';
import { assignCommandKey } from './update-id';

function fieldName(path: ReadonlyArray<PropertyKey>, prefix: string): string {
  const parts = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return `${prefix}${parts}`.replace(/^\./, '') || prefix || 'body';
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  return path.reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as never)[key] : undefined), input);
}

/** Zod issues as `{ field, rule, message }` with rules a client can switch on. */
export function fieldErrors(issues: z.core.$ZodIssue[], input: unknown, prefix = ''): FieldError[] {
  return issues.flatMap((issue): FieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: fieldName([...issue.path, key], prefix),
        rule: 'unknown',
        message: 'is not a known field',
      }));
    }
    const field = fieldName(issue.path, prefix);
    if (valueAt(input, issue.path) === undefined) {
      return [{ field, rule: 'required', message: 'is required' }];
    }
    const rule =
      issue.code === 'custom' ? String((issue.params as { rule?: string } | undefined)?.rule ?? 'invalid')
      : issue.code === 'too_big' ? 'max'
      : issue.code === 'too_small' ? 'min'
      : issue.code === 'invalid_value' ? 'enum'
      : issue.code === 'invalid_format' ? 'format'
      : issue.code === 'invalid_type' ? 'type'
      : issue.code;
    return [{ field, rule, message: issue.message }];
  });
}

/** Parses a request part or throws a 400 problem naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw Problem.badRequest(fieldErrors(result.error.issues, input, prefix));
  return result.data;
}

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
    .refine((value) => !/\p{Cc}/u.test(value), { message: 'must not contain control characters', params: { rule: 'noControlCharacters' } });
}

/** The `Idempotency-Key` header: optional, bounded. */
export const idempotencyKeySchema = z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional();

/**
 * The command key of the request: the validated `Idempotency-Key` header, or a key generated for the
 * request when it has none (returned with a 503; see update-id.ts). A parameter decorator rather than
 * `@Headers()`, so the header is read and checked in one place.
 */
export const IdempotencyKey = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const request = ctx.switchToHttp().getRequest<Request>();
  return assignCommandKey(request, parseOrThrow(idempotencyKeySchema, request.headers['idempotency-key'], 'Idempotency-Key'));
});
