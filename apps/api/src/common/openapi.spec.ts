import { renderOpenApiDocument } from '../openapi-document';

type Json = Record<string, any>;

describe('the OpenAPI document', () => {
  let document: Json;
  const operations = () =>
    Object.entries(document.paths as Json).flatMap(([path, item]) =>
      Object.entries(item as Json).map(([method, op]) => ({ path, method, op: op as Json })),
    );

  beforeAll(async () => {
    document = (await renderOpenApiDocument()) as unknown as Json;
  });

  it('is OpenAPI 3.1 with the package version, a server and the bearer scheme', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe(require('../../../../package.json').version);
    expect(document.servers.length).toBeGreaterThan(0);
    expect(document.components.securitySchemes.bearer).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
  });

  it('gives every operation a success answer with a body schema (or a media type) and names it', () => {
    expect(operations().length).toBeGreaterThanOrEqual(26);
    for (const { path, method, op } of operations()) {
      const success = Object.entries(op.responses as Json).filter(([status]) => status.startsWith('2'));
      expect([`${method} ${path}`, success.length > 0]).toEqual([`${method} ${path}`, true]);
      for (const [, answer] of success)
        expect([`${method} ${path}`, Object.keys(answer.content ?? {}).length]).toEqual([`${method} ${path}`, 1]);
      expect(op.operationId).toMatch(/^[a-z][A-Za-z]+$/);
    }
  });

  it('documents 401 and 429 on every operation that needs a key, and Problem bodies for every error', () => {
    for (const { path, method, op } of operations()) {
      const needsKey = (op.security as unknown[]).length > 0;
      const statuses = Object.keys(op.responses);
      if (needsKey)
        expect([`${method} ${path}`, statuses]).toEqual([`${method} ${path}`, expect.arrayContaining(['401', '429'])]);
      for (const status of statuses.filter((s) => Number(s) >= 400))
        expect(op.responses[status].$ref).toMatch(/^#\/components\/responses\//);
    }
    for (const [name, response] of Object.entries(document.components.responses as Json)) {
      const problem = name === 'CommandUnavailable' ? 'CommandProblem' : 'Problem';
      expect([name, response.content['application/problem+json'].schema]).toEqual([
        name,
        { $ref: `#/components/schemas/${problem}` },
      ]);
    }
  });

  it("documents a command's 503 with the key to retry with (header and body), and other 503s without it", () => {
    const commands = operations().filter(({ op }) =>
      ((op.parameters ?? []) as Json[]).some((p) => p.$ref?.endsWith('/IdempotencyKey')),
    );
    expect(commands.length).toBeGreaterThanOrEqual(8);
    for (const { path, method, op } of operations()) {
      const unavailable = op.responses['503']?.$ref;
      if (!unavailable) continue;
      const expected = commands.some((c) => c.op === op) ? 'CommandUnavailable' : 'Unavailable';
      expect([`${method} ${path}`, unavailable]).toEqual([`${method} ${path}`, `#/components/responses/${expected}`]);
    }
    const commandUnavailable = document.components.responses.CommandUnavailable;
    expect(Object.keys(commandUnavailable.headers)).toEqual(['Retry-After', 'Idempotency-Key']);
    expect(document.components.schemas.CommandProblem.required).toContain('idempotencyKey');
  });

  it('names query parameters in camelCase; a snake_case name is only a deprecated alias', () => {
    const params = operations().flatMap(({ op }) => ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'query'));
    const offenders = params.filter((p) => !/^[a-z][a-zA-Z0-9]*$/.test(p.name) && !p.deprecated).map((p) => p.name);
    expect(offenders).toEqual([]);
    expect(params.find((p) => p.name === 'due_before')).toEqual(expect.objectContaining({ deprecated: true }));
  });

  it('declares the Idempotency-Key header once, optional, and no lower-case duplicate', () => {
    const headers = operations().flatMap(({ op }) =>
      ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'header' || p.$ref),
    );
    expect(headers.every((p) => p.$ref === '#/components/parameters/IdempotencyKey')).toBe(true);
    // The ten commands that take it: incidents (open, responses, severity, priority, resolve), accounts (patch,
    // contacts), health checks (request, schedule, complete).
    expect(headers.length).toBe(10);
    expect(document.components.parameters.IdempotencyKey.required).toBe(false);
  });

  it('documents Location on the 201 answers that create an addressable resource', () => {
    expect(document.paths['/v1/incidents'].post.responses['201'].headers.Location).toEqual({
      $ref: '#/components/headers/Location',
    });
    expect(document.paths['/v1/accounts'].post.responses['201'].headers.Location).toEqual({
      $ref: '#/components/headers/Location',
    });
  });
});
