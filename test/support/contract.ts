import { appendFileSync } from 'node:fs';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, any>;

const BASE = 'https://contract.test/openapi.json';
/** Served beside the API but not part of it: the documentation itself. */
const UNDOCUMENTED_PATHS = [/^\/docs(\/|$|-json|-yaml)/, /^\/openapi\.json$/];

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

/** What the suite's checks saw, reported by the global teardown (`contract: N responses validated`). */
export const contractStats = { validated: 0, skipped: 0 };

/**
 * Checks real answers against the OpenAPI document the API serves: the status must be documented
 * for the operation, JSON bodies (problem+json included) must match the schema, and the headers
 * the document promises (Location, Retry-After, WWW-Authenticate) must be there. A mismatch throws,
 * so the test that received the answer fails. Non-JSON answers (Prometheus text, calendars, the
 * docs page) are counted as skipped.
 */
export class ContractChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly routes: Array<{ template: string; pattern: RegExp; item: Json }>;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: Json) {
    addFormats(this.ajv);
    // Component refs are written `#/components/...`; resolve them against one registered base.
    const absolute = (value: unknown) =>
      JSON.parse(JSON.stringify(value).replace(/"#\/components\//g, `"${BASE}#/components/`));
    this.ajv.addSchema({ $id: BASE, components: { schemas: absolute(document.components.schemas) } });
    this.document = absolute(document);
    this.routes = Object.entries(this.document.paths as Json)
      .map(([template, item]) => ({
        template,
        item: item as Json,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      }))
      // Literal paths before templated ones.
      .sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  }

  check(method: string, url: string, status: number, headers: Headers, body: unknown): void {
    const path = new URL(url, 'http://x').pathname;
    const contentType = (headers.get('content-type') ?? '').split(';')[0].trim();
    const isJson = contentType === 'application/json' || contentType.endsWith('+json');
    if (UNDOCUMENTED_PATHS.some((p) => p.test(path)) || (!isJson && body !== undefined && body !== '')) {
      contractStats.skipped += 1;
      return;
    }
    const where = `${method.toUpperCase()} ${path} -> ${status}`;
    const route = this.routes.find((r) => r.pattern.test(path));
    const operation = route?.item[method.toLowerCase()] as Json | undefined;
    let answer: Json;
    let schemaPath: string;
    if (!operation) {
      // Unknown routes and methods answer a generic problem; nothing else may be answered there.
      if (status < 400) throw new ContractViolation(`${where}: no such operation in the document`);
      answer = this.document.components.responses.NotFound;
      schemaPath = `error:${status}`;
    } else {
      const documented = this.resolve(operation.responses[String(status)]);
      if (!documented)
        throw new ContractViolation(`${where}: status ${status} is not documented for ${route!.template}`);
      answer = documented;
      schemaPath = `${route!.template} ${method} ${status}`;
    }
    for (const name of Object.keys(answer.headers ?? {})) {
      if (!headers.has(name)) throw new ContractViolation(`${where}: the documented header ${name} is missing`);
    }
    const content = answer.content as Json | undefined;
    if (!content) {
      if (body !== undefined && body !== '')
        throw new ContractViolation(`${where}: a body where the document declares none`);
      contractStats.validated += 1;
      return;
    }
    const media = content[contentType];
    if (!media)
      throw new ContractViolation(
        `${where}: content type ${contentType || '(none)'} is not documented (${Object.keys(content).join(', ')})`,
      );
    if (!isJson) {
      contractStats.skipped += 1;
      return;
    }
    const key = `${schemaPath} ${contentType}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(media.schema);
      this.validators.set(key, validate);
    }
    if (!validate(body)) {
      const errors = (validate.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
      );
      throw new ContractViolation(
        `${where}: the body does not match the document:\n  ${errors.join('\n  ')}\nbody: ${JSON.stringify(body).slice(0, 2000)}`,
      );
    }
    contractStats.validated += 1;
  }

  private resolve(node: Json | undefined): Json | undefined {
    if (!node?.$ref) return node;
    const name = String(node.$ref).split('/').pop()!;
    return this.document.components.responses[name];
  }
}

/** A fetch that checks every answer against the document before the caller sees it (for the typed client). */
export function checkedFetch(checker: () => ContractChecker): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    const text = await response.clone().text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    checker().check(request.method, request.url, response.status, response.headers, body);
    return response;
  };
}

/** Appends this suite's figures to the run's report (see global-teardown.ts). */
export function reportContractStats(): void {
  const file = process.env.CONTRACT_REPORT_FILE;
  if (file && (contractStats.validated || contractStats.skipped))
    appendFileSync(file, `${contractStats.validated} ${contractStats.skipped}\n`);
  contractStats.validated = 0;
  contractStats.skipped = 0;
}
