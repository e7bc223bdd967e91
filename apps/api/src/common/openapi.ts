import { z } from 'zod';

/** A zod schema as an OpenAPI 3 schema object, for `@ApiBody({ schema })`. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}
