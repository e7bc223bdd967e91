import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildPolicy } from '../libs/policy/src';
import { testChannels, testPeople } from '../test/support/people';
import { NotificationActivities, NotifyInput } from './notification.activities';

/** A real local HTTP receiver standing in for Slack's and Teams' webhook endpoints. */
let server: Server;
let url: string;
const received: Array<{ path: string; body: any }> = [];
beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.statusCode = 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const input: NotifyInput = {
  event: 'ihr.breached',
  webhookId: 'INC-CHAT.0.breach',
  stepId: 'breach',
  stepAt: '2026-01-13T12:00:00.000Z',
  occurredAt: '2026-01-13T12:00:00.010Z',
  roles: ['supportManager'],
  incident: {
    incidentId: 'INC-CHAT',
    accountId: 'acme',
    planId: 'SP2',
    severity: 2,
    priority: 1,
    supportCenter: 'emea',
    summary: 'Replication stalled',
    dueAt: '2026-01-13T12:00:00.000Z',
  },
  next: { event: 'ihr.escalated', afterBreachMs: 3_600_000 },
};

describe('chat deliveries', () => {
  it("posts Slack Block Kit and a Teams Adaptive Card to channel subscribers, and a person's chat, each of the documented shape", async () => {
    process.env.SLA_UNIT_SLACK_URL = `${url}/slack`;
    process.env.SLA_UNIT_TEAMS_URL = `${url}/teams`;
    process.env.SLA_UNIT_MANAGER_CHAT = `${url}/manager`;
    const doc = parse(readFileSync(join(__dirname, '..', 'config', 'sla-policy.yaml'), 'utf8'));
    doc.subscribers = [
      { id: 'ops-slack', kind: 'slack', urlEnv: 'SLA_UNIT_SLACK_URL', events: ['ihr.*'] },
      { id: 'ops-teams', kind: 'teams', urlEnv: 'SLA_UNIT_TEAMS_URL', events: ['ihr.breached'] },
    ];
    const policy = buildPolicy(doc);
    const people = testPeople(
      policy,
      (d) => (d.centers.emea.supportManager.chat = { kind: 'teams', urlEnv: 'SLA_UNIT_MANAGER_CHAT' }),
    );
    const tams = { tamFor: async () => undefined, primaryContact: async () => undefined };
    const acts = new NotificationActivities(policy, tams, people, testChannels(), { write: () => undefined });
    const report = await acts.notify(input);
    expect(report.delivered.sort()).toEqual(['chat:teams:supportManager', 'ops-slack', 'ops-teams']);
    expect(report.undeliverable).toBeUndefined();

    const slack = received.find((r) => r.path === '/slack')!.body;
    expect(typeof slack.text).toBe('string');
    expect(slack.text).toContain('IHR breached');
    // No link buttons here: the test settings have no PUBLIC_BASE_URL or TEMPORAL_UI_URL.
    expect(slack.blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    const [header, facts] = slack.blocks;
    expect(header.text).toMatchObject({ type: 'plain_text' });
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(facts.fields.length).toBeLessThanOrEqual(10);
    for (const field of facts.fields)
      expect(field).toEqual({ type: 'mrkdwn', text: expect.stringMatching(/^\*[^*]+\*\n/) });
    expect(slack.blocks.at(-1).elements[0].text).toContain('INC-CHAT.0.breach');

    for (const path of ['/teams', '/manager']) {
      const teams = received.find((r) => r.path === path)!.body;
      expect(teams.type).toBe('message');
      expect(teams.attachments).toHaveLength(1);
      const [attachment] = teams.attachments;
      expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(attachment.content).toMatchObject({
        type: 'AdaptiveCard',
        version: '1.4',
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      });
      expect(attachment.content.body[0]).toMatchObject({ type: 'TextBlock', weight: 'Bolder', wrap: true });
      const factSet = attachment.content.body.find((b: { type: string }) => b.type === 'FactSet');
      expect(factSet.facts).toEqual(
        expect.arrayContaining([
          { title: 'Plan', value: 'SP2 (Advanced)' },
          { title: 'Severity', value: '2 (high)' },
        ]),
      );
      expect(
        attachment.content.body.some((b: { text?: string }) => b.text === 'Next: ihr.escalated 1 h after the breach.'),
      ).toBe(true);
    }
    // The manager's card speaks in the manager's zone too (Europe/Berlin beside the center's Helsinki).
    const manager = received
      .find((r) => r.path === '/manager')!
      .body.attachments[0].content.body.find((b: { type: string }) => b.type === 'FactSet');
    expect(manager.facts.find((f: { title: string }) => f.title === 'IHR due').value).toContain('your time');
  });
});
