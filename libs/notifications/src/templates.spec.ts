import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { incidentMessage } from './incident-message';
import { EmailTemplates, TemplateError } from './templates';

const TEMPLATES = join(__dirname, '..', '..', '..', 'config', 'templates');
const reader = { name: 'Eve', zone: 'Europe/Berlin', locale: 'en-GB' };
const message = incidentMessage(
  {
    event: 'ihr.at_risk',
    webhookId: 'INC-T.0.at_risk',
    stepId: 'at_risk',
    stepAt: '2026-01-13T12:00:00.000Z',
    occurredAt: '2026-01-13T12:00:01.000Z',
    incident: {
      incidentId: 'INC-T',
      accountId: 'acme',
      planId: 'SP2',
      planName: 'Advanced',
      severity: 3,
      severityName: 'medium',
      priority: 2,
      supportCenter: 'emea',
      centerName: 'EMEA',
      centerZone: 'Europe/Helsinki',
      summary: 'Reports <blank>',
      dueAt: '2026-01-13T14:00:00.000Z',
    },
    next: { event: 'ihr.breached', at: '2026-01-13T14:00:00.000Z' },
    links: { incident: 'http://sla.test/v1/incidents/INC-T' },
  },
  reader,
);

function copyTemplates(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sla-templates-'));
  cpSync(TEMPLATES, dir, { recursive: true });
  return dir;
}

describe('email templates', () => {
  it('render subject, text and HTML (escaped) from the committed templates, with both zones', () => {
    const email = EmailTemplates.load(TEMPLATES).render(message, 'Eve');
    expect(email.templateError).toBeUndefined();
    expect(email.subject).toBe(
      '[SLA SP2 Sev 3] IHR at risk: three quarters of the response target used: Reports <blank> · acme',
    );
    expect(email.text).toContain('Hello Eve,');
    expect(email.text).toContain(
      'IHR due: Tue, 13 Jan 2026, 16:00 EET (Europe/Helsinki); your time Tue, 13 Jan 2026, 15:00 CET (Europe/Berlin)',
    );
    expect(email.html).toContain('Reports &lt;blank&gt;');
    expect(email.html).not.toContain('<blank>');
  });

  it('a per-event template wins over the family and the default', () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, 'ihr.at_risk.subject.hbs'), 'AT RISK {{vars.incidentId}}');
    expect(EmailTemplates.load(dir).render(message, 'Eve').subject).toBe('AT RISK INC-T');
  });

  it('a template failing at send time sends the plain message with every fact, and reports the error', () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, 'incident.subject.hbs'), '{{vars.noSuchField}}');
    const errors: Error[] = [];
    const email = EmailTemplates.load(dir).render(message, 'Eve', (e) => errors.push(e));
    expect(errors).toHaveLength(1);
    expect(email.templateError).toMatch(/noSuchField/);
    expect(email.subject).toBe(message.title);
    for (const fact of message.facts) expect(email.text).toContain(`${fact.label}: ${fact.value}`);
    expect(email.text).toContain('Next: ihr.breached at');
    expect(email.html).toContain('Reports &#60;blank&#62;');
  });

  it('a template that does not compile, or a missing default, stops start-up naming the file', () => {
    const broken = copyTemplates();
    writeFileSync(join(broken, 'task.text.hbs'), '{{#each facts}}never closed');
    expect(() => EmailTemplates.load(broken)).toThrow(TemplateError);
    expect(() => EmailTemplates.load(broken)).toThrow(/task\.text\.hbs/);
    const named = copyTemplates();
    writeFileSync(join(named, 'incident.body.hbs'), 'x');
    expect(() => EmailTemplates.load(named)).toThrow(/incident\.body\.hbs: name must end in/);
  });
});
