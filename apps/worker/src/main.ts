import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Runtime } from '@temporalio/worker';
import type { LogLevel } from '@temporalio/common';
import { Channels, unreachableRoles } from '../../../activities';
import { reconcileSchedules } from '../../../libs/health-checks/src';
import { DirectorySource, PEOPLE } from '../../../libs/people/src';
import { createLogger, PinoNestLogger, PinoTemporalLogger } from '../../../libs/observability/src';
import { POLICY, Policy } from '../../../libs/policy/src';
import { appConfigOrExit, connectClient, connectWorker, temporalSettings } from '../../../libs/settings/src';
import { createSlaWorker } from './sla-worker';
import { WorkerModule } from './worker.module';

// Workflow code must never depend on the host's zone; pin it for everything in this process.
process.env.TZ = 'UTC';

// A bad variable stops start-up here, naming the variable and the rule (before the logger reads LOG_LEVEL).
const config = appConfigOrExit('worker');
const logger = createLogger('worker', { level: config.LOG_LEVEL });
/** Prometheus exporter of the Temporal runtime and the SLA metrics the workflows emit (`/metrics`). */
const metricsAddress = config.WORKER_METRICS_ADDRESS;

async function main() {
  Runtime.install({
    logger: new PinoTemporalLogger(logger, config.TEMPORAL_LOG_LEVEL as LogLevel),
    telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } },
  });
  const settings = temporalSettings(config);
  const client = await connectClient(settings);
  const app = await NestFactory.createApplicationContext(WorkerModule.register({ client }), {
    logger: new PinoNestLogger(logger),
  });
  const connection = await connectWorker(settings);
  const worker = await createSlaWorker({ app, connection, namespace: settings.namespace });

  // SIGTERM/SIGINT: stop polling, let running tasks finish (drain), then close connections.
  const stop = (signal: string) => {
    logger.info(`${signal} received, draining`);
    worker.shutdown();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  // Escalations that would reach nobody are said now, not discovered at the first breach.
  const unreachable = unreachableRoles(
    app.get<Policy>(POLICY),
    app.get<DirectorySource>(PEOPLE).current(),
    app.get(Channels).emailEnabled,
  );
  if (unreachable.length > 0) {
    logger.warn(
      { unreachable },
      `no channel reaches ${unreachable.map((u) => `${u.center}.${u.role}`).join(', ')}: their notifications are recorded undeliverable`,
    );
  }
  logger.info(
    `polling task queue on ${settings.address} namespace ${settings.namespace}; metrics on http://${metricsAddress}/metrics`,
  );
  // Health-check schedules match the eligible accounts after any outage or manual change (docs/health-checks.md).
  reconcileSchedules(client, app.get<Policy>(POLICY)).then(
    (report) => logger.info({ report }, 'health-check schedules reconciled'),
    (error: unknown) =>
      logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'health-check schedule reconciliation failed',
      ),
  );
  await worker.run();
  await connection.close();
  await client.connection.close();
  await app.close();
  logger.info('stopped');
}

main().catch((error) => {
  logger.fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
