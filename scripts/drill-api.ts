/**
 * The API in its own process for the drills (so it can be SIGKILLed mid-burst and restarted on the same
 * port): createApiApp with the policy in SLA_POLICY_PATH, keys in API_KEYS_PATH, Temporal at
 * TEMPORAL_ADDRESS, listening on 127.0.0.1:API_PORT. Prints `READY api <pid>` once listening.
 * Run: node -r ./scripts/ts-run.js scripts/drill-api.ts
 */
import 'reflect-metadata';
import { createApiApp } from '../apps/api/src/create-app';
import { ApiKeyStore } from '../libs/auth/src';
import { loadPolicy } from '../libs/policy/src';
import { connectClient, temporalSettings } from '../libs/settings/src';

async function main() {
  const client = await connectClient(temporalSettings());
  const keys = new ApiKeyStore(process.env.API_KEYS_PATH!);
  const app = await createApiApp({ client, policy: loadPolicy(), keys });
  await app.listen(Number(process.env.API_PORT), '127.0.0.1');
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
  process.stdout.write(`READY api ${process.pid}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
