import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { API_ROLES, ApiKeyEntry, ApiRole, generateKey, hashKey, parseKeysFile } from './keys';

/**
 * Key management on the keys file itself (`npm run keys`): the file stays the one source of truth
 * that the API re-reads, only hashes are written, and comments and order in it are kept.
 */

export interface NewKey {
  role: ApiRole;
  id?: string;
  accountId?: string;
  contactId?: string;
  tamId?: string;
}

/** A listed key: its id, role and bindings, never its hash. */
export type KeyListing = Omit<ApiKeyEntry, 'sha256'>;

function load(path: string) {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : 'keys: []\n';
  parseKeysFile(text, path); // refuse to edit a file the API would refuse to load
  const document = parseDocument(text);
  if (!isMap(document.contents)) document.contents = document.createNode({ keys: [] }) as never;
  if (!isSeq(document.get('keys'))) document.set('keys', document.createNode([]));
  const keys = document.get('keys') as YAMLSeq<YAMLMap>;
  // An empty file says `keys: []`; entries read better one per block.
  keys.flow = false;
  return { document, keys };
}

/** Writes through a temporary file and a rename: the API never reads a half-written file. */
function save(path: string, document: ReturnType<typeof parseDocument>): void {
  const text = document.toString();
  parseKeysFile(text, path);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}

function indexOf(keys: YAMLSeq<YAMLMap>, id: string, path: string): number {
  const index = keys.items.findIndex((item) => item.get('id') === id);
  if (index < 0) throw new Error(`no key ${id} in ${path}`);
  return index;
}

export function createKey(path: string, spec: NewKey): { id: string; key: string } {
  if (!API_ROLES.includes(spec.role)) throw new Error(`--role must be one of ${API_ROLES.join(', ')}`);
  if (spec.role === 'customer' && !spec.accountId) throw new Error('a customer key needs --account');
  if (spec.role === 'tam' && !spec.tamId) throw new Error('a tam key needs --tam (the TAM id stored on accounts)');
  const { document, keys } = load(path);
  const id =
    spec.id ??
    [spec.role, spec.accountId, spec.contactId, spec.tamId, randomBytes(3).toString('hex')].filter(Boolean).join('-');
  if (keys.items.some((item) => item.get('id') === id)) throw new Error(`key id ${id} is taken in ${path}`);
  const key = generateKey();
  const entry: ApiKeyEntry = {
    id,
    sha256: hashKey(key),
    role: spec.role,
    ...(spec.accountId ? { accountId: spec.accountId } : {}),
    ...(spec.contactId ? { contactId: spec.contactId } : {}),
    ...(spec.tamId ? { tamId: spec.tamId } : {}),
  };
  const node = document.createNode(entry) as YAMLMap;
  node.flow = false;
  keys.add(node);
  save(path, document);
  return { id, key };
}

export function listKeys(path: string): KeyListing[] {
  if (!existsSync(path)) return [];
  return parseKeysFile(readFileSync(path, 'utf8'), path).map(({ sha256: _secret, ...listing }) => listing);
}

export function revokeKey(path: string, id: string): void {
  const { document, keys } = load(path);
  keys.items.splice(indexOf(keys, id, path), 1);
  save(path, document);
}

/** A new secret for the same id and bindings; the old one stops working at the API's next read. */
export function rotateKey(path: string, id: string): { id: string; key: string } {
  const { document, keys } = load(path);
  const key = generateKey();
  keys.items[indexOf(keys, id, path)].set('sha256', hashKey(key));
  save(path, document);
  return { id, key };
}
