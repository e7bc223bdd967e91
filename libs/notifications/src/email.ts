import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';

export interface OutgoingEmail {
  to: { name: string; email: string };
  subject: string;
  text: string;
  html: string;
  /** Stable per event and recipient (see `messageIdFor`): a repeat is the same message. */
  messageId: string;
  webhookId: string;
  /** An iCalendar invitation (METHOD REQUEST or CANCEL), sent as text/calendar and as an .ics attachment. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

/** Sends one email; resolves when the server accepted it, rejects otherwise. */
export interface Mailer {
  readonly from: string;
  send(mail: OutgoingEmail, timeoutMs: number): Promise<void>;
}

/** The domain of an address, for Message-IDs (`<...@domain>`). */
export const domainOf = (address: string): string => /@([^>\s]+)>?\s*$/.exec(address)?.[1] ?? 'sla-engine.invalid';

/**
 * `<incident-42.0.breach.3f2a9c1b7d@vendor.example>`: the event's webhook-id (characters a
 * Message-ID may not hold become `_`) and a hash of webhook-id and recipient, so each recipient's
 * copy has its own id and every repeat of the same delivery carries the same one.
 */
export function messageIdFor(webhookId: string, recipient: string, from: string): string {
  const readable = webhookId
    .replace(/[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.|\.$/g, '_');
  const digest = createHash('sha256').update(`${webhookId}\n${recipient.toLowerCase()}`).digest('hex').slice(0, 12);
  return `<${readable}.${digest}@${domainOf(from)}>`;
}

/**
 * SMTP through nodemailer: `SMTP_URL` carries host, port, TLS (`smtps://`, or STARTTLS on
 * `smtp://` when the server offers it) and auth (`smtp://user:pass@host:587`). One connection per
 * message, each bounded by the delivery's time left, so a stalled server fails the attempt (and the
 * activity's retry policy backs off) instead of holding it.
 */
export class SmtpMailer implements Mailer {
  constructor(
    private readonly url: string,
    readonly from: string,
  ) {}

  async send(mail: OutgoingEmail, timeoutMs: number): Promise<void> {
    const bound = Math.max(1, Math.floor(timeoutMs));
    const transport = nodemailer.createTransport({
      url: this.url,
      connectionTimeout: bound,
      greetingTimeout: bound,
      socketTimeout: bound,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        transport.sendMail({
          from: this.from,
          to: { name: mail.to.name, address: mail.to.email },
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          headers: { 'X-SLA-Webhook-Id': mail.webhookId, 'Auto-Submitted': 'auto-generated' },
          ...(mail.calendar
            ? {
                icalEvent: { method: mail.calendar.method, filename: 'invitation.ics', content: mail.calendar.content },
              }
            : {}),
        }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`SMTP did not accept the message within ${bound} ms`)), bound);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      transport.close();
    }
  }
}
