import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { loadPolicy } from '../libs/policy/src';
import { testChannels, testPeople } from '../test/support/people';
import { SmtpReceiver, startSmtpReceiver } from '../test/support/smtp-receiver';
import { join } from 'node:path';
import { NotificationActivities, NotifyInput } from './notification.activities';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const policy = loadPolicy(join(__dirname, '..', 'config', 'sla-policy.yaml'));
let smtp: SmtpReceiver;
beforeAll(async () => {
  smtp = await startSmtpReceiver();
});
afterAll(() => smtp.close());

const input: NotifyInput = {
  event: 'ihr.breached',
  webhookId: 'INC-MAIL.0.breach',
  stepId: 'breach',
  stepAt: '2026-01-13T12:00:00.000Z',
  occurredAt: '2026-01-13T12:00:00.010Z',
  roles: ['supportManager', 'tam'],
  incident: {
    incidentId: 'INC-MAIL',
    accountId: 'acme',
    planId: 'SPE',
    severity: 2,
    priority: 1,
    supportCenter: 'emea',
    summary: 'Down',
    dueAt: '2026-01-13T12:00:00.000Z',
  },
};

describe('email deliveries (real SMTP server)', () => {
  it('a refusing SMTP server fails the attempt retryably, naming each address; the retry sends them with the same Message-IDs', async () => {
    const tams = { tamFor: async () => 'jane.doe', primaryContact: async () => undefined };
    const acts = new NotificationActivities(policy, tams, testPeople(policy), testChannels({ smtpUrl: smtp.url }), {
      write: () => undefined,
    });
    smtp.reject(451);
    const failure = await new MockActivityEnvironment(undefined, { logger: quiet })
      .run(() => acts.notify(input))
      .catch((e) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'WebhookDeliveryFailed',
      nonRetryable: false,
      details: [{ failed: ['email:emea-manager@vendor.example', 'email:jane.doe@vendor.example'], delivered: [] }],
    });
    expect(smtp.received).toHaveLength(0);

    smtp.accept();
    const report = await new MockActivityEnvironment({ attempt: 2 }, { logger: quiet }).run(() => acts.notify(input));
    expect(report).toMatchObject({
      attempt: 2,
      delivered: ['email:emea-manager@vendor.example', 'email:jane.doe@vendor.example'],
    });
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([
      'emea-manager@vendor.example',
      'jane.doe@vendor.example',
    ]);
    // Sent again (as after a worker died between sending and recording): the same Message-ID per recipient.
    const first = new Map(smtp.received.map((m) => [m.to[0], m.parsed.messageId]));
    await new MockActivityEnvironment(undefined, { logger: quiet }).run(() => acts.notify(input));
    for (const m of smtp.received.slice(2)) expect(m.parsed.messageId).toBe(first.get(m.to[0]));
    expect(smtp.received[0].parsed.headers.get('x-sla-webhook-id')).toBe('INC-MAIL.0.breach');
  });
});
