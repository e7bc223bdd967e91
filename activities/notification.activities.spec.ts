import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DeliveryReport } from '../libs/contracts/src/incident';
import { buildPolicy } from '../libs/policy/src';
import { testChannels, testPeople } from '../test/support/people';
import { startWebhookReceiver, WebhookReceiver } from '../test/support/webhook-receiver';
import { matchesEvent, NotificationActivities, NotifyInput } from './notification.activities';

const SECRET = `whsec_${Buffer.from('unit-test-secret').toString('base64')}`;
process.env.SLA_UNIT_HOOK_SECRET = SECRET;

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const mockEnv = (info?: ConstructorParameters<typeof MockActivityEnvironment>[0]) =>
  new MockActivityEnvironment(info, { logger: quiet });

let a: WebhookReceiver;
let b: WebhookReceiver;
beforeAll(async () => {
  a = await startWebhookReceiver(SECRET);
  b = await startWebhookReceiver(SECRET);
});
afterAll(async () => {
  await a.close();
  await b.close();
});

function activities(
  subscribers: Array<{ id: string; url: string; events: string[] }>,
  log: Array<Record<string, unknown>>,
) {
  const doc = parse(readFileSync(join(__dirname, '..', 'config', 'sla-policy.yaml'), 'utf8'));
  doc.subscribers = subscribers.map((s) => ({ ...s, secretEnv: 'SLA_UNIT_HOOK_SECRET' }));
  const tams = {
    tamFor: async (id: string) => (id === 'acme' ? 'jane.doe' : undefined),
    primaryContact: async () => undefined,
  };
  const policy = buildPolicy(doc);
  return new NotificationActivities(policy, tams, testPeople(policy), testChannels(), { write: (e) => log.push(e) });
}

const input = (event = 'ihr.breached'): NotifyInput => ({
  event,
  webhookId: 'INC-1.0.breach',
  stepId: 'breach',
  stepAt: '2026-01-13T12:00:00.000Z',
  occurredAt: '2026-01-13T12:00:00.010Z',
  roles: ['supportManager', 'tam', 'customerSuccess'],
  incident: {
    incidentId: 'INC-1',
    accountId: 'acme',
    planId: 'SP2',
    severity: 3,
    priority: 2,
    supportCenter: 'emea',
    summary: 's',
    dueAt: '2026-01-13T12:00:00.000Z',
  },
});

describe('notification activities', () => {
  it('matches subscriber event patterns', () => {
    expect(matchesEvent('*', 'ihr.warning')).toBe(true);
    expect(matchesEvent('ihr.*', 'ihr.warning')).toBe(true);
    expect(matchesEvent('ihr.*', 'incident.critical_opened')).toBe(false);
    expect(matchesEvent('ihr.warning', 'ihr.warning')).toBe(true);
    expect(matchesEvent('ihr.warning', 'ihr.at_risk')).toBe(false);
  });

  it('logs one line, resolves roles at fire time and posts a signed Standard Webhook to matching subscribers', async () => {
    const log: Array<Record<string, unknown>> = [];
    const acts = activities(
      [
        { id: 'a', url: a.url, events: ['ihr.*'] },
        { id: 'b', url: b.url, events: ['ihr.warning'] },
      ],
      log,
    );
    const report: DeliveryReport = await mockEnv().run((i: NotifyInput) => acts.notify(i), input());
    expect(report).toEqual({
      webhookId: 'INC-1.0.breach',
      recipients: [
        { role: 'supportManager', address: 'emea-manager@vendor.example' },
        { role: 'tam', address: 'jane.doe@vendor.example' },
        { role: 'customerSuccess', address: 'emea-success@vendor.example' },
      ],
      delivered: ['a'],
      attempt: 1,
      // No SMTP in this test: the people are named, and why no channel reached them.
      unreached: expect.arrayContaining([
        expect.objectContaining({ role: 'supportManager', reason: expect.stringMatching(/SMTP_URL is not set/) }),
      ]),
    });
    expect(b.received).toHaveLength(0);
    const [got] = a.deliveries();
    expect(got.id).toBe('INC-1.0.breach');
    expect(got.body).toEqual({
      type: 'ihr.breached',
      id: 'INC-1.0.breach',
      timestamp: '2026-01-13T12:00:00.010Z',
      data: { ...input().incident, step: 'breach', stepAt: '2026-01-13T12:00:00.000Z', recipients: report.recipients },
    });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      msg: 'sla notification',
      type: 'ihr.breached',
      id: 'INC-1.0.breach',
      targets: ['a'],
    });
  });

  it('on retry re-sends only to subscribers not yet delivered (heartbeat details) and does not log again', async () => {
    const log: Array<Record<string, unknown>> = [];
    const acts = activities(
      [
        { id: 'a', url: a.url, events: ['*'] },
        { id: 'b', url: b.url, events: ['*'] },
      ],
      log,
    );
    const before = [a.received.length, b.received.length];
    const env = mockEnv({ attempt: 2, heartbeatDetails: { logged: true, delivered: ['a'] } });
    const report: DeliveryReport = await env.run((i: NotifyInput) => acts.notify(i), input('ihr.at_risk'));
    expect(report.delivered).toEqual(['a', 'b']);
    expect([a.received.length - before[0], b.received.length - before[1]]).toEqual([0, 1]);
    expect(log).toHaveLength(0);
  });

  it('fails retryably naming the failed subscriber, after heartbeating the ones that succeeded', async () => {
    const acts = activities(
      [
        { id: 'a', url: a.url, events: ['*'] },
        { id: 'b', url: b.url, events: ['*'] },
      ],
      [],
    );
    b.respondWith(503);
    const beats: unknown[] = [];
    const env = mockEnv();
    env.on('heartbeat', (d) => beats.push(structuredClone(d)));
    try {
      await expect(env.run(() => acts.notify(input()))).rejects.toThrow(/b: HTTP 503/);
      const error = await env.run(() => acts.notify(input())).catch((e) => e);
      expect(error).toBeInstanceOf(ApplicationFailure);
      expect(error).toMatchObject({
        type: 'WebhookDeliveryFailed',
        nonRetryable: false,
        details: [{ failed: ['b'], delivered: ['a'] }],
      });
      expect(beats).toContainEqual({ logged: true, delivered: ['a'] });
    } finally {
      b.respondWith(204);
    }
  });

  it('a missing secret is a delivery failure, not a silent skip', async () => {
    const acts = activities([{ id: 'a', url: a.url, events: ['*'] }], []);
    delete process.env.SLA_UNIT_HOOK_SECRET;
    try {
      await expect(mockEnv().run(() => acts.notify(input()))).rejects.toThrow(
        /secret env SLA_UNIT_HOOK_SECRET is not set/,
      );
    } finally {
      process.env.SLA_UNIT_HOOK_SECRET = SECRET;
    }
  });
});
