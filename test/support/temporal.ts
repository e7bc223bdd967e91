import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplicationContext, Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createSlaWorker } from '../../apps/worker/src/sla-worker';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { temporalToolchain } from '../../libs/devstack/src';
import { buildPolicy, Policy } from '../../libs/policy/src';
import { parse } from 'yaml';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { SA } from '../../libs/contracts/src';
import type { NotificationSettings } from '../../activities';
import { DirectorySource } from '../../libs/people/src';
import { testNotificationSettings, testPeople } from './people';

/** The workflow bundle made once by global-setup.ts. */
export function workflowBundle(): { code: string } {
  const path = process.env.SLA_WORKFLOW_BUNDLE;
  if (!path) throw new Error('SLA_WORKFLOW_BUNDLE not set: run through jest (global setup bundles the workflows)');
  return { code: readFileSync(path, 'utf8') };
}

/** The default policy file, optionally changed by the test. */
export function testPolicy(change?: (doc: any) => void): Policy {
  const doc = parse(readFileSync(join(__dirname, '..', '..', 'config', 'sla-policy.yaml'), 'utf8'));
  change?.(doc);
  return buildPolicy(doc, 'test policy');
}

/** The time-skipping test server, from the installed binary (never downloaded). */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const { testServer } = temporalToolchain();
  if (!testServer) throw new Error('temporal-test-server not installed: run `npm run setup:temporal`');
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServer } },
  });
  await registerSearchAttributes(env);
  return env;
}

const INDEXED_VALUE_TYPES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DATETIME]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/** The test server does not know our attributes until told (the dev server gets them on its command line). */
async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const searchAttributes = Object.fromEntries(
    Object.values(SA).map((key) => [key.name, INDEXED_VALUE_TYPES[key.type]]),
  );
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
}

export interface RunningWorker {
  worker: Worker;
  app: INestApplicationContext;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** A real worker (Nest context, real activities) on the given connection, running in this process. */
export async function startWorker(
  connection: NativeConnection,
  namespace: string,
  policy: Policy,
  options: {
    providers?: Provider[];
    taskQueue?: string;
    client?: Client;
    people?: DirectorySource;
    notifications?: NotificationSettings;
  } = {},
): Promise<RunningWorker> {
  const app = await NestFactory.createApplicationContext(
    WorkerModule.register({
      policy,
      client: options.client,
      providers: options.providers,
      people: options.people ?? testPeople(policy),
      notifications: options.notifications ?? testNotificationSettings(),
    }),
    { logger: false },
  );
  const worker = await createSlaWorker({
    app,
    connection,
    namespace,
    workflowBundle: workflowBundle(),
    taskQueue: options.taskQueue,
  });
  const done = worker.run();
  return {
    worker,
    app,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
      await app.close();
    },
  };
}
