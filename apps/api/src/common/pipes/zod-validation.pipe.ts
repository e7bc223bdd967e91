import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { FieldError, Problem } from '../problem';

function fieldName(path: ReadonlyArray<PropertyKey>, prefix: string): string {
  const parts = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return `${prefix}${parts}`.replace(/^\./, '') || prefix || 'body';
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  return path.reduce<unknown>(
    (value, key) => (value && typeof value === 'object' ? (value as never)[key] : undefined),
    input,
  );
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
      issue.code === 'custom'
        ? String((issue.params as { rule?: string } | undefined)?.rule ?? 'invalid')
        : issue.code === 'too_big'
          ? 'max'
          : issue.code === 'too_small'
            ? 'min'
            : issue.code === 'invalid_value'
              ? 'enum'
              : issue.code === 'invalid_format'
                ? 'format'
                : issue.code === 'invalid_type'
                  ? 'type'
                  : issue.code;
    return [{ field, rule, message: issue.message }];
  });
}

/** What a handler receives from a ZodValidationPipe over `S`: the schema's output (defaults applied, coerced). */
export type Parsed<S extends z.ZodType> = z.output<S>;

/**
 * Validates one request part against a zod schema: `@Body(new ZodValidationPipe(schema))`, `@Query(...)`,
 * `@Param('id', ...)`. A mismatch is a 400 problem naming every bad field and its rule (`fieldErrors`).
 * Fields are named from the part: a body's or query's own keys (`severity`, `contacts[0].email`), a path
 * parameter by its name (`id`); `field` names it otherwise (a header read by a custom decorator).
 */
@Injectable()
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, Parsed<S>> {
  constructor(
    private readonly schema: S,
    private readonly field?: string,
  ) {}

  transform(value: unknown, metadata: ArgumentMetadata): Parsed<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw Problem.badRequest(fieldErrors(result.error.issues, value, this.field ?? metadata.data ?? ''));
  }
}
