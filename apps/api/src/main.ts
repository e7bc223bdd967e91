import 'reflect-metadata';
import { ApiKeyStore, DEFAULT_KEYS_PATH } from '../../../libs/auth/src';
import { createLogger } from '../../../libs/observability/src';
import { connectClient, temporalSettings } from '../../../libs/settings/src';
import { createApiApp } from './create-app';

const logger = createLogger('api');

async function main() {
  const settings = temporalSettings();
  const client = await connectClient(settings);
  const keysPath = process.env.API_KEYS_PATH || DEFAULT_KEYS_PATH;
  const keys = new ApiKeyStore(keysPath, (error) => logger.error({ err: error.message }, 'keeping the previous API keys'));
  if (keys.size === 0) logger.warn(`no API keys in ${keysPath}: every request except /health and /metrics gets 401`);
  const app = await createApiApp({ client, keys, logger });
  const port = Number(process.env.API_PORT || 3000);
  const host = process.env.API_HOST || '127.0.0.1';
  await app.listen(port, host);
  logger.info(`listening on http://${host}:${port} (Temporal ${settings.address}/${settings.namespace})`);

  // SIGTERM/SIGINT: stop accepting, let requests in flight finish, then close the Temporal connection.
  const shutdown = async (signal: string) => {
    logger.info(`${signal} received, closing`);
    await app.close();
    await client.connection.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  logger.fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
