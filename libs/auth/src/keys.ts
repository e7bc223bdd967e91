import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';

export const API_ROLES = ['admin', 'agent', 'tam', 'customer'] as const;
export type ApiRole = (typeof API_ROLES)[number];

const keyEntry = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a key id'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the lowercase hex SHA-256 of the key'),
    role: z.enum(API_ROLES),
    /** customer keys: the account (a customer or a partner account) the key is bound to. */
    accountId: z.string().optional(),
    /** customer keys: the registered contact the key acts as. */
    contactId: z.string().optional(),
    /** tam keys: the TAM's id (as stored on accounts). */
    tamId: z.string().optional(),
  })
  .refine((k) => k.role !== 'customer' || Boolean(k.accountId), {
    message: 'customer keys must name accountId',
    path: ['accountId'],
  })
  // A TAM key without its TAM id would list and act on nobody's tasks, or everybody's (no owner filter).
  .refine((k) => k.role !== 'tam' || Boolean(k.tamId), { message: 'tam keys must name tamId', path: ['tamId'] });

const keysFile = z.strictObject({ keys: z.array(keyEntry) });
export type ApiKeyEntry = z.infer<typeof keyEntry>;

/** Who is calling: the key's role and bindings. */
export interface Principal {
  keyId: string;
  role: ApiRole;
  accountId?: string;
  contactId?: string;
  tamId?: string;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateKey(prefix = 'sla'): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

export function parseKeysFile(text: string, source: string): ApiKeyEntry[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new Error(`invalid API keys file ${source}: not YAML (${(error as Error).message.split('\n')[0]})`, {
      cause: error,
    });
  }
  // An empty file (or one with comments only) is what a truncated write or an editor's save in
  // progress looks like; it revoked every key. Only an explicit `keys: []` revokes all.
  if (doc === null || doc === undefined)
    throw new Error(`invalid API keys file ${source}: the file is empty (write \`keys: []\` to revoke every key)`);
  const parsed = keysFile.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.map(String).join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid API keys file ${source}:\n${issues}`);
  }
  const ids = new Set<string>();
  for (const entry of parsed.data.keys) {
    if (ids.has(entry.id)) throw new Error(`invalid API keys file ${source}: duplicate key id ${entry.id}`);
    ids.add(entry.id);
  }
  return parsed.data.keys;
}

/**
 * API keys from a YAML file holding only SHA-256 hashes. The file is re-read when its content changes
 * (checked at most once a second), so keys rotate without a restart. A broken edit (empty, truncated,
 * invalid) or a missing file keeps the previous keys and reports the error once instead of locking
 * everybody out; only an explicit `keys: []` revokes every key.
 */
export class ApiKeyStore {
  private entries: Array<ApiKeyEntry & { digest: Buffer }> = [];
  /**
   * Digest of the content last seen (loaded or refused). Content, not mtime: an edit within the
   * filesystem's mtime granularity, or a copy that keeps the old mtime, was never picked up.
   */
  private seenDigest: string | undefined;
  private checkedAt = 0;

  constructor(
    readonly path: string,
    private readonly onReloadError: (error: Error) => void = () => undefined,
  ) {
    this.reload(true);
  }

  private reload(initial: boolean): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      // No file at start: no keys (main.ts warns). Gone later (a move-and-replace in progress, a
      // mistaken delete): keep the keys in force, report once.
      if (initial && !existsSync(this.path)) return;
      if (initial) throw error;
      if (this.seenDigest !== 'missing')
        this.onReloadError(
          new Error(`cannot read API keys file ${this.path}: ${(error as Error).message}; keeping the previous keys`),
        );
      this.seenDigest = 'missing';
      return;
    }
    const digest = createHash('sha256').update(text).digest('hex');
    if (digest === this.seenDigest) return;
    this.seenDigest = digest;
    try {
      const keys = parseKeysFile(text, this.path);
      this.entries = keys.map((k) => ({ ...k, digest: Buffer.from(k.sha256, 'hex') }));
    } catch (error) {
      if (initial) throw error;
      this.onReloadError(error as Error);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  authenticate(presentedKey: string, now = Date.now()): Principal | undefined {
    if (now - this.checkedAt >= 1_000) {
      this.checkedAt = now;
      this.reload(false);
    }
    const digest = Buffer.from(hashKey(presentedKey), 'hex');
    // Compare against every entry in constant time per entry; no early exit on a match.
    let found: ApiKeyEntry | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest) && !found) found = entry;
    }
    if (!found) return undefined;
    const { id, role, accountId, contactId, tamId } = found;
    return { keyId: id, role, accountId, contactId, tamId };
  }
}

/** Writes a keys file with one freshly generated admin key; returns the key (shown once, never stored). */
export function createKeysFileWithAdmin(path: string): string {
  const key = generateKey('sla_admin');
  mkdirSync(dirname(path), { recursive: true });
  const doc = { keys: [{ id: 'local-admin', sha256: hashKey(key), role: 'admin' }] };
  writeFileSync(
    path,
    `# API keys: only SHA-256 hashes are stored. See config/api-keys.example.yaml.\n${stringify(doc)}`,
    { mode: 0o600 },
  );
  return key;
}

export const DEFAULT_KEYS_PATH = 'config/api-keys.yaml';
