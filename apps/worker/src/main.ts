import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { connectClient, connectWorker, temporalSettings } from '../../../libs/settings/src';
import { createSlaWorker } from './sla-worker';
import { reconcileSchedules } from '../../../activities/schedule';
import { POLICY, Policy } from '../../../libs/policy/src';
import { WorkerModule } from './worker.module';

// Workflow code must never depend on the host's zone; pin it for everything in this process.
process.env.TZ = 'UTC';

async function main() {
  const settings = temporalSettings();
  const client = await connectClient(settings);
  const app = await NestFactory.createApplicationContext(WorkerModule.register({ client }), { logger: ['error', 'warn', 'log'] });
  const connection = await connectWorker(settings);
  const worker = await createSlaWorker({ app, connection, namespace: settings.namespace });

  const stop = (signal: string) => {
    console.log(`worker: ${signal} received, draining`);
    worker.shutdown();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  console.log(`worker: polling task queue on ${settings.address} namespace ${settings.namespace}`);
  // Health-check schedules match the eligible accounts after any outage or manual change (docs/health-checks.md).
  reconcileSchedules(client, app.get<Policy>(POLICY)).then(
    (report) => console.log(`worker: health-check schedules reconciled ${JSON.stringify(report)}`),
    (error: unknown) => console.error(`worker: health-check schedule reconciliation failed: ${error instanceof Error ? error.message : error}`),
  );
  await worker.run();
  await connection.close();
  await client.connection.close();
  await app.close();
  console.log('worker: stopped');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
