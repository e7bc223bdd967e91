import 'reflect-metadata';
import { ApiKeyStore } from '../../../libs/auth/src';
import { createLogger } from '../../../libs/observability/src';
import { appConfigOrExit, connectClient, temporalSettings } from '../../../libs/settings/src';
import { createApiApp } from './create-app';

// First, before anything reads a variable: a bad value stops start-up naming the variable and the rule.
const config = appConfigOrExit('api');
const logger = createLogger('api', { level: config.LOG_LEVEL });

async function main() {
  const settings = temporalSettings(config);
  const client = await connectClient(settings);
  const keysPath = config.API_KEYS_PATH;
  const keys = new ApiKeyStore(keysPath, (error) =>
    logger.error({ err: error.message }, 'keeping the previous API keys'),
  );
  if (keys.size === 0) logger.warn(`no API keys in ${keysPath}: every request except /health and /metrics gets 401`);
  const app = await createApiApp({ client, keys, logger });
  const port = config.API_PORT;
  const host = config.API_HOST;
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
