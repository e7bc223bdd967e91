// API key management on the keys file (API_KEYS_PATH, default config/api-keys.yaml); the API
// re-reads the file within a second, so no restart is needed.
//   npm run keys -- create --role customer --account acme --contact C1 [--id ID] [--tam TAM_ID]
//   npm run keys -- list
//   npm run keys -- revoke ID
//   npm run keys -- rotate ID
// `--file PATH` works on another file. A new key is printed once: only its SHA-256 hash is stored.
import { parseArgs } from 'node:util';
import { ApiRole, createKey, DEFAULT_KEYS_PATH, listKeys, revokeKey, rotateKey } from '../libs/auth/src';

const USAGE =
  'usage: npm run keys -- create --role ROLE [--account ID] [--contact ID] [--tam ID] [--id ID] | list | revoke ID | rotate ID  [--file PATH]';

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      account: { type: 'string' },
      contact: { type: 'string' },
      tam: { type: 'string' },
      id: { type: 'string' },
      file: { type: 'string' },
    },
  });
  const path = values.file ?? (process.env.API_KEYS_PATH || DEFAULT_KEYS_PATH);
  const [command, target] = positionals;
  const printKey = ({ id, key }: { id: string; key: string }, what: string) => {
    console.log(`${what} key ${id} in ${path}; the key (shown once, only its hash is stored):`);
    console.log(key);
  };
  switch (command) {
    case 'create':
      if (!values.role) throw new Error(`create needs --role\n${USAGE}`);
      return printKey(
        createKey(path, {
          role: values.role as ApiRole,
          id: values.id,
          accountId: values.account,
          contactId: values.contact,
          tamId: values.tam,
        }),
        'created',
      );
    case 'list':
      for (const k of listKeys(path)) {
        const bindings = [
          k.accountId && `account=${k.accountId}`,
          k.contactId && `contact=${k.contactId}`,
          k.tamId && `tam=${k.tamId}`,
        ]
          .filter(Boolean)
          .join(' ');
        console.log(`${k.id}\t${k.role}${bindings ? `\t${bindings}` : ''}`);
      }
      return;
    case 'revoke':
      if (!target) throw new Error(`revoke needs a key id\n${USAGE}`);
      revokeKey(path, target);
      return void console.log(`revoked key ${target} in ${path}`);
    case 'rotate':
      if (!target) throw new Error(`rotate needs a key id\n${USAGE}`);
      return printKey(rotateKey(path, target), 'rotated');
    default:
      throw new Error(USAGE);
  }
}

try {
  main();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
