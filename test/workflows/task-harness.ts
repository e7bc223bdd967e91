import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NOTIFICATION_LOG_SINK } from '../../activities';
import { Policy } from '../../libs/policy/src';
import { createTimeSkippingEnv, RunningWorker, startWorker, testPolicy } from '../support/temporal';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';

export interface TaskHarness {
  env: TestWorkflowEnvironment;
  worker: RunningWorker;
  receiver: WebhookReceiver;
  policy: Policy;
  /** Skips the test server's clock forward to `ms` (it only moves forward). */
  skipTo(ms: number): Promise<void>;
}

/**
 * Time-skipping server, a worker and a signing webhook receiver subscribed to `task.*`, set up in
 * beforeAll and torn down in afterAll of the calling test file. `name` keeps secrets apart per file.
 */
export function taskWorkflowHarness(name: string): TaskHarness {
  const secret = `whsec_${Buffer.from(`${name}-task-workflow-secret-0123456789`).toString('base64')}`;
  const secretEnv = `SLA_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_HOOK_SECRET`;
  process.env[secretEnv] = secret;
  const harness = {
    async skipTo(ms: number) {
      const now = await harness.env.currentTimeMs();
      if (ms > now) await harness.env.sleep(ms - now);
    },
  } as TaskHarness;

  beforeAll(async () => {
    harness.receiver = await startWebhookReceiver(secret);
    harness.policy = testPolicy((doc) => {
      doc.subscribers = [{ id: 'tasks', url: harness.receiver.url, secretEnv, events: ['task.*'] }];
    });
    harness.env = await createTimeSkippingEnv();
    harness.worker = await startWorker(
      harness.env.nativeConnection,
      harness.env.namespace ?? 'default',
      harness.policy,
      {
        providers: [{ provide: NOTIFICATION_LOG_SINK, useValue: { write: () => undefined } }],
      },
    );
  });

  afterAll(async () => {
    await harness.worker?.stop();
    await harness.env?.teardown();
    await harness.receiver?.close();
  });
  return harness;
}
