import { Inject, Injectable, Optional } from '@nestjs/common';
import { signedHeaders } from '../libs/webhooks/src';
import { Policy } from '../libs/policy/src';
import { chatUrl, Recipient, Unreached } from '../libs/people/src';
import {
  chatPayload,
  EmailTemplates,
  Mailer,
  messageIdFor,
  NotificationMessage,
  OutgoingEmail,
  postChat,
} from '../libs/notifications/src';
import { createLogger } from '../libs/observability/src';
import { DeliveryTarget, matchesEvent } from './delivery';
import { EMAIL_TEMPLATES, MAILER, NOTIFICATION_SETTINGS, NotificationSettings } from './notification-settings';

/** An email's calendar part for one recipient (task invitations), or none. */
export type CalendarPart = OutgoingEmail['calendar'];

const log = createLogger('notifications');

/**
 * Turns an event into delivery targets: the policy's subscribers of the event (signed webhooks,
 * Slack and Teams channels) and the people it concerns (one email per address, and their chat).
 */
@Injectable()
export class Channels {
  constructor(
    @Inject(NOTIFICATION_SETTINGS) readonly settings: NotificationSettings,
    @Inject(EMAIL_TEMPLATES) private readonly templates: EmailTemplates,
    @Optional() @Inject(MAILER) private readonly mailer?: Mailer,
  ) {}

  get emailEnabled(): boolean {
    return this.mailer !== undefined;
  }

  /** Subscribers of the event: webhooks get the signed JSON body, chat channels the message as a card. */
  subscriberTargets(
    policy: Policy,
    event: string,
    webhookId: string,
    body: string,
    message: () => NotificationMessage,
  ): DeliveryTarget[] {
    return policy.document.subscribers
      .filter((s) => s.events.some((p) => matchesEvent(p, event)))
      .map((subscriber): DeliveryTarget => {
        if (subscriber.kind === 'webhook') {
          return {
            id: subscriber.id,
            send: async (timeoutMs) => {
              const secret = process.env[subscriber.secretEnv];
              if (!secret) throw new Error(`secret env ${subscriber.secretEnv} is not set`);
              const response = await fetch(subscriber.url, {
                method: 'POST',
                headers: { 'content-type': 'application/json', ...signedHeaders(secret, webhookId, body) },
                body,
                signal: AbortSignal.timeout(timeoutMs),
              });
              await response.arrayBuffer().catch(() => undefined);
              if (!response.ok) throw new Error(`HTTP ${response.status}`);
            },
          };
        }
        return {
          id: subscriber.id,
          send: async (timeoutMs) => {
            const url = process.env[subscriber.urlEnv];
            if (!url) throw new Error(`chat URL env ${subscriber.urlEnv} is not set`);
            await postChat(url, chatPayload(subscriber.kind, message()), timeoutMs);
          },
        };
      });
  }

  /**
   * One email per distinct address (a person holding two notified roles gets one), and a chat post
   * per chat destination. A person no channel reaches is returned as unreached, with the reason.
   */
  personTargets(
    recipients: Recipient[],
    webhookId: string,
    messageFor: (reader: Recipient) => NotificationMessage,
    calendarFor: (reader: Recipient) => CalendarPart = () => undefined,
  ): { targets: DeliveryTarget[]; unreached: Unreached[] } {
    const targets: DeliveryTarget[] = [];
    const unreached: Unreached[] = [];
    const seen = new Set<string>();
    for (const person of recipients) {
      let reachable = false;
      if (this.mailer) {
        reachable = true;
        const id = `email:${person.email.toLowerCase()}`;
        if (!seen.has(id)) {
          seen.add(id);
          targets.push({
            id,
            send: (timeoutMs) => this.sendEmail(person, webhookId, messageFor(person), calendarFor(person), timeoutMs),
          });
        }
      }
      const url = person.chat ? chatUrl(person.chat) : undefined;
      if (person.chat && url) {
        reachable = true;
        const id = `chat:${person.chat.kind}:${person.role}`;
        if (!seen.has(id)) {
          seen.add(id);
          const kind = person.chat.kind;
          targets.push({ id, send: (timeoutMs) => postChat(url, chatPayload(kind, messageFor(person)), timeoutMs) });
        }
      }
      if (!reachable) {
        const chat = person.chat ? `its chat variable ${person.chat.urlEnv} is not set` : 'no chat destination';
        unreached.push({ role: person.role, reason: `${person.name}: email is off (SMTP_URL is not set) and ${chat}` });
      }
    }
    return { targets, unreached };
  }

  private async sendEmail(
    person: Recipient,
    webhookId: string,
    message: NotificationMessage,
    calendar: CalendarPart,
    timeoutMs: number,
  ): Promise<void> {
    const mailer = this.mailer!;
    const rendered = this.templates.render(message, person.name, (error) =>
      log.error(
        { err: error.message, event: message.event, webhookId },
        'notification template failed: sent the plain message instead',
      ),
    );
    await mailer.send(
      {
        to: { name: person.name, email: person.email },
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId: messageIdFor(webhookId, person.email, mailer.from),
        webhookId,
        ...(calendar ? { calendar } : {}),
      },
      timeoutMs,
    );
  }
}
