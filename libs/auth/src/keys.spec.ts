import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyStore, createKeysFileWithAdmin, hashKey, parseKeysFile } from './keys';

const dir = () => mkdtempSync(join(tmpdir(), 'keys-'));

function writeKeys(path: string, entries: object[], mtime: number) {
  writeFileSync(path, JSON.stringify({ keys: entries }));
  utimesSync(path, mtime, mtime);
}

describe('ApiKeyStore', () => {
  it('authenticates by hash and returns the bindings', () => {
    const path = join(dir(), 'keys.yaml');
    writeKeys(path, [{ id: 'acme', sha256: hashKey('secret-1'), role: 'customer', accountId: 'acme', contactId: 'c1' }], 1000);
    const store = new ApiKeyStore(path);
    expect(store.authenticate('secret-1')).toEqual({ keyId: 'acme', role: 'customer', accountId: 'acme', contactId: 'c1', tamId: undefined });
    expect(store.authenticate('secret-2')).toBeUndefined();
    expect(store.authenticate('')).toBeUndefined();
  });

  it('picks up a rotated file without a restart, and keeps the old keys if the new file is broken', () => {
    const path = join(dir(), 'keys.yaml');
    writeKeys(path, [{ id: 'a', sha256: hashKey('old'), role: 'agent' }], 1000);
    const errors: Error[] = [];
    const store = new ApiKeyStore(path, (e) => errors.push(e));
    expect(store.authenticate('old', 10_000)?.keyId).toBe('a');
    writeKeys(path, [{ id: 'b', sha256: hashKey('new'), role: 'agent' }], 2000);
    expect(store.authenticate('new', 20_000)?.keyId).toBe('b');
    expect(store.authenticate('old', 20_000)).toBeUndefined();
    writeFileSync(path, 'keys: [{ id: broken }]');
    utimesSync(path, 3000, 3000);
    expect(store.authenticate('new', 30_000)?.keyId).toBe('b');
    expect(errors[0].message).toMatch(/invalid API keys file/);
  });

  it('has no keys when the file does not exist', () => {
    expect(new ApiKeyStore(join(dir(), 'absent.yaml')).size).toBe(0);
  });

  it('creates a file with one admin key that only stores its hash', () => {
    const path = join(dir(), 'sub', 'keys.yaml');
    const key = createKeysFileWithAdmin(path);
    const store = new ApiKeyStore(path);
    expect(store.authenticate(key)?.role).toBe('admin');
    expect(require('node:fs').readFileSync(path, 'utf8')).not.toContain(key);
  });
});

describe('parseKeysFile', () => {
  it.each([
    ['keys: [{ id: a, sha256: abc, role: admin }]', /sha256: must be the lowercase hex/],
    ['keys: [{ id: a, sha256: ' + 'a'.repeat(64) + ', role: root }]', /role/],
    ['keys: [{ id: a, sha256: ' + 'a'.repeat(64) + ', role: customer }]', /customer keys must name accountId/],
    ['keys: [{ id: a, sha256: ' + 'a'.repeat(64) + ', role: admin }, { id: a, sha256: ' + 'b'.repeat(64) + ', role: admin }]', /duplicate key id a/],
  ])('rejects %s', (text, message) => {
    expect(() => parseKeysFile(text, 'k.yaml')).toThrow(message);
  });
});
