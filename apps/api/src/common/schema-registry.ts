import { z } from 'zod';

/**
 * The named shapes of the API: every zod schema registered here becomes
 * `#/components/schemas/<id>` of the OpenAPI document, and every other schema that uses it
 * refers to it by `$ref`. The same schema objects validate requests and serialize answers, so the
 * document cannot drift from what the code accepts and returns.
 */
/**
 * zod's global registry: it also holds `.describe()` / `.meta()` texts, which the document keeps
 * (a separate registry would drop them). Only entries with an `id` become components.
 */
export const apiComponents = z.globalRegistry;

/** Registers `schema` as the component `id` and returns it (use it like the schema itself). */
export function component<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  (schema as z.ZodType).register(apiComponents, description ? { id, description } : { id });
  return schema;
}

export const COMPONENT_REF = (id: string) => `#/components/schemas/${id}`;

type JsonSchema = Record<string, unknown>;

const toJson = (schema: z.ZodType | typeof apiComponents, io: 'input' | 'output') =>
  z.toJSONSchema(schema as never, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    // Registered schemas become components; anything else is inlined.
    uri: (id: string) => COMPONENT_REF(id),
  }) as JsonSchema;

/** Drops the draft marker: OpenAPI 3.1 schema objects take their dialect from the document. */
function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _drop, $id: _id, ...rest } = schema;
  return rest;
}

/**
 * `components.schemas` as JSON Schema 2020-12 (the dialect of OpenAPI 3.1). Components are written
 * as the API answers them (`output`): a default is filled in, so the field is always there.
 */
export function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = toJson(apiComponents, 'output') as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, clean(rewriteRefs(s))]));
}

/**
 * One schema inline (a request body or a parameter), `$ref`-ing the registered components it uses.
 * `input`: what a client may send (defaults make a field optional, coercion accepts strings).
 */
export function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const id = apiComponents.get(schema)?.id;
  if (id) return { $ref: COMPONENT_REF(id) };
  const json = toJson(schema, io);
  // A registered sub-schema comes back as a local definition plus a ref: point it at the component.
  const { $defs: _defs, ...rest } = json as JsonSchema & { $defs?: unknown };
  return clean(rewriteRefs(rest));
}

/**
 * zod writes `#/$defs/<id>` for registered ids: the document wants the component path. zod also
 * spells out `format: date-time` / `date` as a long regular expression; the format says it (and
 * clients and validators know it), so the pattern is dropped to keep the document readable.
 */
function rewriteRefs(value: JsonSchema): JsonSchema {
  const json = JSON.stringify(value).replace(/"#\/\$defs\/([^"]+)"/g, (_m, id) => JSON.stringify(COMPONENT_REF(id)));
  return JSON.parse(json, (_key, node: unknown) => {
    if (node && typeof node === 'object' && !Array.isArray(node)) {
      const { format, pattern, ...rest } = node as JsonSchema;
      if ((format === 'date-time' || format === 'date') && typeof pattern === 'string') return { format, ...rest };
    }
    return node;
  }) as JsonSchema;
}
