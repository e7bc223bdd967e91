import { startBenchStack, BenchStack, ChildHandle } from '../../bench/load-stack';
import { localTime } from '../../libs/notifications/src';
import { eventually } from '../support/eventually';
import { ReceivedMail, SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver';

/**
 * The escalation ladder reaches people by email, on a real dev server with a real SMTP server and a
 * worker in its own process that is SIGKILLed mid-ladder: every step of an SP1 Sev 2 incident sends
 * exactly one message per recipient (a repeat after the kill carries the same Message-ID), with the
 * step's subject and the due time in the center's zone and in the recipient's.
 */
let smtp: SmtpReceiver;
let stack: BenchStack;
let worker: ChildHandle;
const CENTER_ZONE = 'Europe/Helsinki';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const webhookIdOf = (mail: ReceivedMail) => String(mail.parsed.headers.get('x-sla-webhook-id') ?? '');
const mailsOf = (incidentId: string) => smtp.received.filter((m) => webhookIdOf(m).startsWith(`${incidentId}.`));

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  stack = await startBenchStack({
    // SP1 Sev 2 on a 24 s round-the-clock target, level 2 six seconds after the breach: the whole
    // ladder within half a minute of real time.
    policy: (doc) => {
      doc.plans.SP1.coverage.sev2 = '24x7';
      doc.plans.SP1.targets.sev2 = '24s';
      doc.escalation.ladder.find((s: { id: string }) => s.id === 'level2')!.at = { afterBreach: '6s' };
    },
    worker: 'none',
    contract: true,
    childEnv: { SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'http://sla.test', TEMPORAL_UI_URL: 'http://temporal-ui.test' },
  });
  worker = await stack.startChildWorker('worker-1');
  expect(
    (
      await stack.http('POST', '/v1/accounts', {
        id: 'globex',
        name: 'Globex',
        type: 'customer',
        plan: 'SP1',
        supportCenter: 'emea',
        contractStart: '2025-01-01',
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await stack.http('POST', '/v1/accounts/globex/contacts', {
        contactId: 'C1',
        name: 'Gus',
        email: 'gus@globex.example',
      })
    ).status,
  ).toBe(201);
});

afterAll(async () => {
  await stack?.teardown();
  await smtp?.close();
});

describe('escalation emails', () => {
  it('one email per recipient per step, the right subjects and local due times; a SIGKILLed worker loses no step and repeats only with the same Message-ID', async () => {
    // Entered 6 s ago: warn (50 %) at +6 s, at-risk (75 %) at +12 s, breach at +18 s, level 2 at +24 s.
    const opened = await stack.http('POST', '/v1/incidents', {
      accountId: 'globex',
      contactId: 'C1',
      severity: 2,
      priority: 2,
      channel: 'portal',
      product: 'Engine',
      productVersion: '4.2',
      summary: 'Replication stalled',
      description: 'e2e',
      enteredAt: new Date(Date.now() - 6_000).toISOString(),
    });
    expect(opened.status).toBe(201);
    const { incidentId, dueAt } = opened.body;

    await eventually(() => mailsOf(incidentId).find((m) => webhookIdOf(m).endsWith('.warn')), 'warning email', 30_000);
    // Killed without a chance to finish anything; the at-risk step falls due while no worker runs.
    await worker.kill('SIGKILL');
    await sleep(8_000);
    worker = await stack.startChildWorker('worker-2');

    await eventually(
      () => mailsOf(incidentId).find((m) => webhookIdOf(m).endsWith('.level2')),
      'level 2 email',
      60_000,
    );
    const status = await eventually(async () => {
      const body = (await stack.http('GET', `/v1/incidents/${incidentId}`)).body;
      return body.ladder?.fired.length === 4 &&
        body.ladder.fired.every((f: { delivery: string }) => f.delivery !== 'in-flight')
        ? body
        : undefined;
    }, 'ladder settled');
    expect(status.ladder.fired.map((f: { id: string; delivery: string }) => [f.id, f.delivery])).toEqual([
      ['warn', 'delivered'],
      ['at_risk', 'delivered'],
      ['breach', 'delivered'],
      ['level2', 'delivered'],
    ]);
    // SP1 has no TAM: the breach names it as unreached instead of pretending.
    const breachStep = status.ladder.fired.find((f: { id: string }) => f.id === 'breach');
    expect(breachStep.report.unreached).toEqual([{ role: 'tam', reason: 'account globex has no TAM' }]);

    const expected: Array<[string, string, string, RegExp]> = [
      [
        'warn',
        'emea-support@vendor.example',
        CENTER_ZONE,
        /^\[SLA SP1 Sev 2\] IHR warning: half of the response target used: Replication stalled · globex$/,
      ],
      [
        'at_risk',
        'emea-lead@vendor.example',
        CENTER_ZONE,
        /^\[SLA SP1 Sev 2\] IHR at risk: three quarters of the response target used: Replication stalled · globex$/,
      ],
      [
        'breach',
        'emea-manager@vendor.example',
        'Europe/Berlin',
        /^\[SLA SP1 Sev 2\] BREACHED: no human response · globex · Replication stalled$/,
      ],
      [
        'level2',
        'support-director@vendor.example',
        'Europe/London',
        /^\[SLA SP1 Sev 2\] IHR breach escalated: Replication stalled · globex$/,
      ],
    ];
    for (const [step, address, zone, subject] of expected) {
      const copies = mailsOf(incidentId).filter((m) => webhookIdOf(m) === `${incidentId}.0.${step}`);
      // Exactly one recipient per step here, and every copy of it (a repeat after the kill) is the same message.
      expect({ step, to: [...new Set(copies.flatMap((m) => m.to))] }).toEqual({ step, to: [address] });
      expect({ step, ids: new Set(copies.map((m) => m.parsed.messageId)).size }).toEqual({ step, ids: 1 });
      const [mail] = copies;
      expect(mail.parsed.subject).toMatch(subject);
      const text = mail.parsed.text ?? '';
      expect(text).toContain(`IHR due: ${localTime(dueAt, CENTER_ZONE, 'en-GB')}`);
      if (zone !== CENTER_ZONE) expect(text).toContain(`your time ${localTime(dueAt, zone, 'en-GB')}`);
      expect(text).toContain(`http://sla.test/v1/incidents/${incidentId}`);
      expect(text).toContain(
        `http://temporal-ui.test/namespaces/default/workflows/${encodeURIComponent(`incident/${incidentId}`)}`,
      );
      expect(mail.parsed.html).toContain('<table');
      expect(mail.parsed.messageId).toMatch(
        new RegExp(`^<${incidentId}\\.0\\.${step}\\.[0-9a-f]{12}@vendor\\.example>$`),
      );
    }
    // What comes next, in the warning: the at-risk step at its local time.
    const warn = mailsOf(incidentId).find((m) => webhookIdOf(m) === `${incidentId}.0.warn`)!;
    const atRisk = status.ladder.fired.find((f: { id: string }) => f.id === 'at_risk');
    expect(warn.parsed.text).toContain(`Next: ihr.at_risk at ${localTime(atRisk.at, CENTER_ZONE, 'en-GB')}.`);
    await worker.kill('SIGTERM');
  });
});
