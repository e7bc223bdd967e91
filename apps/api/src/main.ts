import 'reflect-metadata';
import { ApiKeyStore, DEFAULT_KEYS_PATH } from '../../../libs/auth/src';
import { connectClient, temporalSettings } from '../../../libs/settings/src';
import { createApiApp } from './create-app';

async function main() {
  const settings = temporalSettings();
  const client = await connectClient(settings);
  const keysPath = process.env.API_KEYS_PATH || DEFAULT_KEYS_PATH;
  const keys = new ApiKeyStore(keysPath, (error) => console.error(`api: keeping the previous API keys: ${error.message}`));
  if (keys.size === 0) console.warn(`api: no API keys in ${keysPath}: every request except /health will get 401`);
  const app = await createApiApp({ client, keys });
  const port = Number(process.env.API_PORT || 3000);
  const host = process.env.API_HOST || '127.0.0.1';
  await app.listen(port, host);
  console.log(`api: listening on http://${host}:${port} (Temporal ${settings.address}/${settings.namespace})`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
