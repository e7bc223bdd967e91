import 'reflect-metadata';
import { connectClient, temporalSettings } from '../../../libs/settings/src';
import { createApiApp } from './create-app';

async function main() {
  const settings = temporalSettings();
  const client = await connectClient(settings);
  const app = await createApiApp({ client });
  const port = Number(process.env.API_PORT || 3000);
  const host = process.env.API_HOST || '127.0.0.1';
  await app.listen(port, host);
  console.log(`api: listening on http://${host}:${port} (Temporal ${settings.address}/${settings.namespace})`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
