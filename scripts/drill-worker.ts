/**
 * A worker in its own process for the drills and bench/scale (so it can be SIGKILLed and its RSS read):
 * the real worker module and activities, the workflow bundle named by SLA_WORKFLOW_BUNDLE, the policy in
 * SLA_POLICY_PATH, Temporal at TEMPORAL_ADDRESS, email to SMTP_URL when set. Prints `READY worker <pid>` once polling;
 * SIGTERM drains.
 * Run: node -r ./scripts/ts-run.js scripts/drill-worker.ts
 */
import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { notificationSettingsFromEnv } from '../libs/notifications/src';
import { loadPolicy } from '../libs/policy/src';
import { installRuntime } from '../bench/load-stack';
import { startWorker } from '../test/support/temporal';

process.env.TZ = 'UTC';

async function main() {
  installRuntime();
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const policy = loadPolicy();
  const connection = await NativeConnection.connect({ address });
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace });
  // Email, links and templates from the environment (SMTP_URL ...), like the real worker.
  const running = await startWorker(connection, namespace, policy, {
    client,
    notifications: notificationSettingsFromEnv(),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.stop();
    await connection.close();
    await clientConnection.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  process.stdout.write(`READY worker ${process.pid}\n`);
  await running.done;
  if (!stopping) {
    process.stderr.write('worker stopped on its own\n');
    process.exit(2);
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
