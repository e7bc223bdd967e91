import { NotificationMessage } from './message';

export type ChatKind = 'slack' | 'teams';

/**
 * Slack incoming-webhook payload: `text` is the notification fallback (and what screen readers
 * read), `blocks` the Block Kit layout: a header, the facts as section fields (Slack shows at most 10
 * fields of at most 2,000 characters), the lines, and link buttons.
 */
export function slackPayload(message: NotificationMessage): Record<string, unknown> {
  const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  const facts = message.facts
    .slice(0, 10)
    .map((f) => ({ type: 'mrkdwn', text: clip(`*${f.label}*\n${f.value}`, 2000) }));
  return {
    text: clip(message.headline, 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(message.headline, 150), emoji: false } },
      { type: 'section', fields: facts },
      ...(message.lines.length
        ? [{ type: 'section', text: { type: 'mrkdwn', text: clip(message.lines.join('\n'), 3000) } }]
        : []),
      ...(message.links.length
        ? [
            {
              type: 'actions',
              elements: message.links
                .slice(0, 5)
                .map((l) => ({ type: 'button', text: { type: 'plain_text', text: clip(l.label, 75) }, url: l.url })),
            },
          ]
        : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: clip(`${message.event} · ${message.webhookId}`, 3000) }] },
    ],
  };
}

/**
 * Teams Workflows webhook payload ("Post to a channel when a webhook request is received"): a
 * message with one Adaptive Card attachment (schema 1.4: TextBlock, FactSet, Action.OpenUrl).
 */
export function teamsPayload(message: NotificationMessage): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: message.headline, weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'FactSet', facts: message.facts.map((f) => ({ title: f.label, value: f.value })) },
            ...message.lines.map((line) => ({ type: 'TextBlock', text: line, wrap: true })),
            {
              type: 'TextBlock',
              text: `${message.event} · ${message.webhookId}`,
              isSubtle: true,
              size: 'Small',
              wrap: true,
            },
          ],
          actions: message.links.map((l) => ({ type: 'Action.OpenUrl', title: l.label, url: l.url })),
        },
      },
    ],
  };
}

export const chatPayload = (kind: ChatKind, message: NotificationMessage) =>
  kind === 'slack' ? slackPayload(message) : teamsPayload(message);

/** POSTs a chat payload; any non-2xx answer is a failure (the delivery's retry policy backs off). */
export async function postChat(url: string, payload: Record<string, unknown>, timeoutMs: number): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(Math.max(1, timeoutMs)),
  });
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
}
