import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ApiKeyStore } from '../../../libs/auth/src';
import { createApiApp } from './create-app';
import { buildOpenApiDocument } from './common/openapi';

/**
 * The OpenAPI document as the API serves it at /openapi.json, built without a Temporal server:
 * documenting the routes touches no client, so a stand-in that is never called is enough.
 */
export async function renderOpenApiDocument(): Promise<OpenAPIObject> {
  const keysPath = join(mkdtempSync(join(tmpdir(), 'sla-openapi-')), 'api-keys.yaml');
  writeFileSync(keysPath, 'keys: []\n');
  const app = await createApiApp({
    client: {} as Client,
    keys: new ApiKeyStore(keysPath),
    quiet: true,
    rateLimitPerMinute: 0,
  });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
