import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ApiKeyEntry, ApiKeyStore, generateKey, hashKey } from '../../libs/auth/src';

/** Who the tests call as: one key per role and binding. */
export const TEST_CALLERS = {
  admin: { role: 'admin' },
  agent: { role: 'agent' },
  tam: { role: 'tam', tamId: 'jane.doe' },
  acme: { role: 'customer', accountId: 'acme', contactId: 'C-ACME-1' },
  globex: { role: 'customer', accountId: 'globex', contactId: 'C-GLOBEX-1' },
  partner: { role: 'customer', accountId: 'resellerx' },
} as const satisfies Record<string, Omit<ApiKeyEntry, 'id' | 'sha256'>>;

export type Caller = keyof typeof TEST_CALLERS;

export interface TestKeys {
  path: string;
  store: ApiKeyStore;
  token: Record<Caller, string>;
}

/** A keys file in a temp folder with a fresh key per test caller. */
export function createTestKeys(): TestKeys {
  const path = join(mkdtempSync(join(tmpdir(), 'sla-keys-')), 'api-keys.yaml');
  const token = {} as Record<Caller, string>;
  const keys = (Object.entries(TEST_CALLERS) as Array<[Caller, Omit<ApiKeyEntry, 'id' | 'sha256'>]>).map(
    ([id, binding]) => {
      token[id] = generateKey(id);
      return { id, sha256: hashKey(token[id]), ...binding };
    },
  );
  writeFileSync(path, stringify({ keys }));
  return { path, store: new ApiKeyStore(path), token };
}
