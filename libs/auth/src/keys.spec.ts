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
    writeKeys(
      path,
      [{ id: 'acme', sha256: hashKey('secret-1'), role: 'customer', accountId: 'acme', contactId: 'c1' }],
      1000,
    );
    const store = new ApiKeyStore(path);
    expect(store.authenticate('secret-1')).toEqual({
      keyId: 'acme',
      role: 'customer',
      accountId: 'acme',
      contactId: 'c1',
      tamId: undefined,
    });
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

  describe('keeps the keys in force on a broken edit (issue 14, item 13)', () => {
    const setup = () => {
      const path = join(dir(), 'keys.yaml');
      writeKeys(path, [{ id: 'a', sha256: hashKey('old'), role: 'agent' }], 1000);
      const errors: Error[] = [];
      const store = new ApiKeyStore(path, (e) => errors.push(e));
      expect(store.authenticate('old', 10_000)?.keyId).toBe('a');
      return { path, errors, store };
    };

    it.each([
      ['an empty file', ''],
      ['a file with a comment only', '# API keys\n'],
      ['a file truncated after `keys:`', 'keys:\n'],
      ['a file truncated inside an entry', `keys:\n  - id: b\n    sha256: ${hashKey('new').slice(0, 20)}`],
      ['a file truncated inside a key', 'keys:\n  - id: b\n    sha'],
    ])('%s', (_what, text) => {
      const { path, errors, store } = setup();
      writeFileSync(path, text);
      utimesSync(path, 2000, 2000);
      expect(store.authenticate('old', 20_000)?.keyId).toBe('a');
      expect(errors).toHaveLength(1);
      expect(errors[0].message).toMatch(/invalid API keys file|empty/);
      // Reported once, not every second.
      expect(store.authenticate('old', 30_000)?.keyId).toBe('a');
      expect(errors).toHaveLength(1);
    });

    it('a file that went missing', () => {
      const { path, errors, store } = setup();
      require('node:fs').unlinkSync(path);
      expect(store.authenticate('old', 20_000)?.keyId).toBe('a');
      expect(errors[0].message).toMatch(/cannot read API keys file/);
    });

    it('only an explicit `keys: []` revokes every key', () => {
      const { path, errors, store } = setup();
      writeFileSync(path, 'keys: []\n');
      utimesSync(path, 2000, 2000);
      expect(store.authenticate('old', 20_000)).toBeUndefined();
      expect(store.size).toBe(0);
      expect(errors).toEqual([]);
    });
  });

  it('follows the content, not the mtime: an edit that keeps the mtime is picked up', () => {
    const path = join(dir(), 'keys.yaml');
    writeKeys(path, [{ id: 'a', sha256: hashKey('old'), role: 'agent' }], 1000);
    const store = new ApiKeyStore(path);
    expect(store.authenticate('old', 10_000)?.keyId).toBe('a');
    writeKeys(path, [{ id: 'b', sha256: hashKey('new'), role: 'agent' }], 1000);
    expect(store.authenticate('new', 20_000)?.keyId).toBe('b');
    expect(store.authenticate('old', 20_000)).toBeUndefined();
  });

  it('refuses an empty file at start-up', () => {
    const path = join(dir(), 'keys.yaml');
    writeFileSync(path, '');
    expect(() => new ApiKeyStore(path)).toThrow(/the file is empty/);
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
    ['keys: [{ id: t, sha256: ' + 'a'.repeat(64) + ', role: tam }]', /keys\.0\.tamId: tam keys must name tamId/],
    [
      'keys: [{ id: a, sha256: ' +
        'a'.repeat(64) +
        ', role: admin }, { id: a, sha256: ' +
        'b'.repeat(64) +
        ', role: admin }]',
      /duplicate key id a/,
    ],
  ])('rejects %s', (text, message) => {
    expect(() => parseKeysFile(text, 'k.yaml')).toThrow(message);
  });
});
