import { NestExpressApplication } from '@nestjs/platform-express';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { NOTIFICATION_LOG_SINK, NotificationSettings } from '../../activities';
import { DirectorySource } from '../../libs/people/src';
import { testPeople } from './people';
import { createApiApp } from '../../apps/api/src/create-app';
import type { DestinationStream } from 'pino';
import { createLogger } from '../../libs/observability/src';
import { DevServer, freePort, startDevServer, temporalToolchain } from '../../libs/devstack/src';
import { Policy } from '../../libs/policy/src';
import { createTestKeys, TestKeys } from './api-keys';
import { createSlaClient, SlaClient } from '../../libs/client/src';
import { Caller } from './api-keys';
import { checkedFetch, ContractChecker, reportContractStats } from './contract';
import { apiRequester } from './http';
export type { HttpResult } from './http';
import { RunningWorker, startWorker, testPolicy } from './temporal';

/**
 * The whole engine in one test process: a real dev server (child process, own port, in-memory),
 * a real worker and the Nest API listening on a free port, driven over real HTTP.
 */
export interface TestStack {
  server: DevServer;
  client: Client;
  policy: Policy;
  api: NestExpressApplication;
  baseUrl: string;
  worker: RunningWorker | undefined;
  startWorker(): Promise<RunningWorker>;
  stopWorker(): Promise<void>;
  /** Runs `fn` with the worker stopped (commands then wait for one and answer 503), and starts it again. */
  withoutWorker<T>(fn: () => Promise<T>): Promise<T>;
  keys: TestKeys;
  /** A request as `as` (a test caller, `none` for no key); admin by default. */
  http: ReturnType<typeof apiRequester>;
  /**
   * The typed client (libs/client) calling as `as` (admin by default); every answer is checked against the document.
   */
  sla(as?: Caller | 'none'): SlaClient;
  /** Checks answers against the served OpenAPI document (the helpers call it for every answer). */
  contract: ContractChecker;
  teardown(): Promise<void>;
}

export interface TestStackOptions {
  rateLimitPerMinute?: number;
  /** The people directory of API and worker (default: config/people.yaml). */
  people?: DirectorySource;
  /** The worker's SMTP, links and templates (default: no SMTP, the committed templates). */
  notifications?: NotificationSettings;
  /** Receives the API's JSON log lines. */
  logDestination?: DestinationStream;
}

export async function startTestStack(
  policy: Policy = testPolicy(),
  options: TestStackOptions = {},
): Promise<TestStack> {
  const server = await startDevServer({ cliPath: temporalToolchain().cli, port: await freePort() });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const workerConnection = await NativeConnection.connect({ address: server.address });
  const keys = createTestKeys();
  const logger = createLogger('api', {
    level: process.env.TEST_API_LOG || options.logDestination ? 'info' : 'silent',
    destination: options.logDestination,
  });
  const people = options.people ?? testPeople(policy);
  const api = await createApiApp({
    client,
    policy,
    people,
    keys: keys.store,
    logger,
    quiet: !process.env.TEST_API_LOG,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
  });
  await api.listen(0, '127.0.0.1');
  const address = api.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // Every answer the suite receives is checked against the document this API serves.
  const contract = new ContractChecker(
    (await (await fetch(`${baseUrl}/openapi.json`)).json()) as Record<string, unknown>,
  );

  const stack: TestStack = {
    server,
    client,
    policy,
    api,
    baseUrl,
    keys,
    worker: undefined,
    async startWorker() {
      // Notification log lines stay out of the test output unless TEST_API_LOG asks for logs.
      const quietSink = { provide: NOTIFICATION_LOG_SINK, useValue: { write: () => undefined } };
      stack.worker = await startWorker(workerConnection, server.namespace, policy, {
        client,
        providers: process.env.TEST_API_LOG ? [] : [quietSink],
        people,
        notifications: options.notifications,
      });
      return stack.worker;
    },
    async stopWorker() {
      await stack.worker?.stop();
      stack.worker = undefined;
    },
    async withoutWorker(fn) {
      await stack.stopWorker();
      try {
        return await fn();
      } finally {
        await stack.startWorker();
      }
    },
    http: apiRequester(baseUrl, keys, () => contract),
    sla: (as: Caller | 'none' = 'admin') =>
      createSlaClient({
        baseUrl,
        apiKey: as === 'none' ? undefined : keys.token[as],
        fetch: checkedFetch(() => contract),
      }),
    contract,
    async teardown() {
      reportContractStats();
      await stack.stopWorker();
      await api.close();
      await connection.close();
      await workerConnection.close();
      await server.stop();
    },
  };
  await stack.startWorker();
  return stack;
}
