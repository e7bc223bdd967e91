import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../../libs/devstack/src/project-root';
import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiRole } from '../../../../libs/auth/src';
import { PUBLIC_KEY, ROLES_KEY } from '../auth/auth.decorators';
import { ENDPOINTS, ErrorStatus, RegisteredEndpoint } from './endpoint';
import { componentSchemas, schemaOf } from './schema-registry';
import { CommandProblemSchema, ProblemSchema } from './shapes';

// The package's version, from the nearest package.json above this file: the same from the sources
// (tests) and from dist/ (npm start, the image), where a fixed relative path would differ.
const { version } = JSON.parse(readFileSync(join(projectRoot(__dirname), 'package.json'), 'utf8')) as {
  version: string;
};

const ALL_ROLES: ApiRole[] = ['admin', 'agent', 'tam', 'customer'];
const PROBLEM_JSON = 'application/problem+json';

type Json = Record<string, unknown>;

/** The errors every operation may answer, as shared responses (3.1 lets an operation reword the description). */
const ERROR_RESPONSES: Record<string, { status: number; description: string; headers?: string[] }> = {
  BadRequest: { status: 400, description: 'The request does not match the schema; `errors` names each field and rule' },
  Unauthorized: { status: 401, description: 'No key, or an unknown key', headers: ['WWW-Authenticate'] },
  Forbidden: { status: 403, description: "The key's role may not do this" },
  NotFound: { status: 404, description: "No such resource (or one that is not the caller's)" },
  Conflict: { status: 409, description: 'Conflicts with the current state' },
  PayloadTooLarge: { status: 413, description: 'The body exceeds 256 kB' },
  Unprocessable: { status: 422, description: 'A business rule refuses the request; `errors` names the field and rule' },
  TooManyRequests: {
    status: 429,
    description: 'Rate limit of the key reached; retry after `Retry-After` seconds',
    headers: ['Retry-After'],
  },
  Unavailable: {
    status: 503,
    description:
      'Temporal did not answer within the deadline (`API_TEMPORAL_TIMEOUT_MS`), or no worker took the command in time; retry after `Retry-After` seconds',
    headers: ['Retry-After'],
  },
};
const ERROR_NAME = Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([name, r]) => [r.status, name])) as Record<
  number,
  string
>;
/** The 503 of a command (an operation taking `Idempotency-Key`): it names the key to retry with. */
const COMMAND_UNAVAILABLE = {
  status: 503,
  description:
    'Temporal or a worker did not answer in time. The command may still apply: retry after `Retry-After` seconds with ' +
    'the `Idempotency-Key` this answer returns (header and `idempotencyKey`; the one sent, or one generated for the ' +
    'request), and it applies at most once',
  headers: ['Retry-After', 'Idempotency-Key'],
};

/** Tags in the order of /docs, with what each area is. */
const TAGS: Record<string, string> = {
  incidents: 'Incidents and their IHR clocks: open, read, respond, reclassify, resolve',
  accounts: 'Customer and partner accounts with their contacts and change log',
  'health checks': "An account's annual health checks per contract year",
  tasks: 'TAM tasks: schedule and complete health checks and account reviews',
  policy: 'Plans and support centers in force',
  calendars: 'What-if due instants in a support center calendar',
  reports: 'IHR compliance reports',
  admin: 'Operator maintenance',
  health: 'Liveness, readiness and metrics (no key needed)',
};

const HEADERS: Json = {
  Location: { description: 'The URL of the created resource', schema: { type: 'string', format: 'uri-reference' } },
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } },
  'WWW-Authenticate': { description: 'The authentication scheme to use: `Bearer`', schema: { type: 'string' } },
  'Idempotency-Key': {
    description: "The command's key (the request's, or one generated for it): retry with it to repeat the same command",
    schema: { type: 'string', minLength: 1, maxLength: 200 },
  },
};

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Optional. A retry with the same key is the same command: it returns the same result and never applies twice. ' +
    'Without a key the server generates one per request, so a retried request is a new command.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
  example: 'portal-7f3a9c21',
};

function errorResponse(r: { description: string; headers?: string[] }, schema: unknown): Json {
  return {
    description: r.description,
    ...(headerRefs(r.headers) ? { headers: headerRefs(r.headers) } : {}),
    content: { [PROBLEM_JSON]: { schema } },
  };
}

function rolesOf(endpoint: RegisteredEndpoint): { isPublic: boolean; roles: ApiRole[] } {
  const isPublic = Boolean(
    Reflect.getMetadata(PUBLIC_KEY, endpoint.handler) ?? Reflect.getMetadata(PUBLIC_KEY, endpoint.controller),
  );
  const roles = (Reflect.getMetadata(ROLES_KEY, endpoint.handler) ??
    Reflect.getMetadata(ROLES_KEY, endpoint.controller) ??
    ALL_ROLES) as ApiRole[];
  return { isPublic, roles };
}

function parameter(name: string, where: 'path' | 'query', schema: z.ZodType): Json {
  const json = schemaOf(schema, 'input');
  const { description, deprecated, ...rest } = json as Json & { description?: string; deprecated?: boolean };
  const required = where === 'path' || !schema.safeParse(undefined).success;
  return {
    name,
    in: where,
    required,
    ...(description ? { description } : {}),
    ...(deprecated ? { deprecated: true } : {}),
    schema: rest,
  };
}

function headerRefs(names: string[] | undefined): Json | undefined {
  if (!names?.length) return undefined;
  return Object.fromEntries(names.map((h) => [h, { $ref: `#/components/headers/${h}` }]));
}

function operation(endpoint: RegisteredEndpoint, tags: string[] | undefined): Json {
  const { spec } = endpoint;
  const { isPublic, roles } = rolesOf(endpoint);
  const parameters: Json[] = [
    ...Object.entries(spec.params ?? {}).map(([name, schema]) => parameter(name, 'path', schema)),
    ...Object.entries(spec.query?.shape ?? {}).map(([name, schema]) => parameter(name, 'query', schema as z.ZodType)),
    ...(spec.idempotencyKey ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
  ];
  const responses: Json = {};
  for (const [status, answer] of Object.entries(spec.responses)) {
    const media = answer.contentType ?? 'application/json';
    responses[status] = {
      description: answer.description,
      ...(headerRefs(answer.headers) ? { headers: headerRefs(answer.headers) } : {}),
      ...(answer.schema || answer.contentType
        ? {
            content: {
              [media]: {
                schema: answer.schema ? schemaOf(answer.schema, 'output') : { type: 'string' },
                ...(answer.example !== undefined ? { example: answer.example } : {}),
              },
            },
          }
        : {}),
    };
  }
  const errors: Partial<Record<number, string | undefined>> = {};
  if (spec.body || spec.query || spec.params || spec.idempotencyKey) errors[400] = undefined;
  if (!isPublic) {
    errors[401] = undefined;
    errors[429] = undefined;
    if (ALL_ROLES.some((role) => !roles.includes(role))) errors[403] = `Roles allowed: ${roles.join(', ')}`;
  }
  if (spec.body) errors[413] = undefined;
  if (!isPublic && spec.temporal !== false) errors[503] = undefined;
  for (const [status, description] of Object.entries(spec.errors ?? {}) as Array<[string, string]>)
    errors[Number(status) as ErrorStatus] = description;
  for (const [status, description] of Object.entries(errors).sort(([a], [b]) => Number(a) - Number(b))) {
    const name = Number(status) === 503 && spec.idempotencyKey ? 'CommandUnavailable' : ERROR_NAME[Number(status)];
    responses[status] = { $ref: `#/components/responses/${name}`, ...(description ? { description } : {}) };
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(tags ? { tags } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: schemaOf(spec.body, 'input'),
                ...(spec.bodyExample ? { example: spec.bodyExample } : {}),
              },
            },
          },
        }
      : {}),
    responses,
    security: isPublic ? [] : [{ bearer: [] }],
  };
}

/**
 * The OpenAPI 3.1 document of the API. Nest finds the routes; every operation is then written
 * from its `@Endpoint` spec and the zod components, so a route without a spec fails start-up
 * rather than being published half-described.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const base = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle('Support SLA engine')
      .setDescription(
        'Incidents, IHR clocks and escalation on Temporal. Authenticate with `Authorization: Bearer <key>` ' +
          '(the Authorize button of /docs). Errors are application/problem+json (RFC 9457) with `errors[]` naming each field and rule. ' +
          'Lists are paginated: pass `nextPageToken` back as `pageToken` until it is absent.',
      )
      .setVersion(version)
      .setLicense('UNLICENSED', 'https://choosealicense.com/no-permission/')
      .addServer('http://127.0.0.1:3000', 'Local engine (`npm start`)')
      .build(),
  );
  const paths: Json = {};
  for (const [path, item] of Object.entries(base.paths)) {
    const methods: Json = {};
    for (const [method, op] of Object.entries(item as Json)) {
      const nestOp = op as { operationId?: string; tags?: string[] };
      const endpoint = nestOp.operationId ? ENDPOINTS.get(nestOp.operationId) : undefined;
      if (!endpoint)
        throw new Error(`${method.toUpperCase()} ${path} has no @Endpoint spec: describe it before publishing it`);
      methods[method] = operation(endpoint, nestOp.tags);
    }
    paths[path] = methods;
  }
  const problem = schemaOf(ProblemSchema, 'output');
  return {
    ...base,
    paths: paths as OpenAPIObject['paths'],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    components: {
      schemas: componentSchemas() as never,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key from `npm run keys -- create --role ROLE ...` (printed once), sent as `Authorization: Bearer <key>`; in /docs, press Authorize and paste it',
        },
      },
      parameters: { IdempotencyKey: IDEMPOTENCY_KEY as never },
      headers: HEADERS as never,
      responses: Object.fromEntries([
        ...Object.entries(ERROR_RESPONSES).map(([name, r]) => [name, errorResponse(r, problem)]),
        ['CommandUnavailable', errorResponse(COMMAND_UNAVAILABLE, schemaOf(CommandProblemSchema, 'output'))],
      ]) as never,
    },
  };
}
