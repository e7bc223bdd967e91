/**
 * What one notification says, whatever the channel: email templates render it, chat cards lay it
 * out, the plain fallback lists it. Every value is already formatted for its recipient.
 */
export interface NotificationMessage {
  /** Event name, e.g. `ihr.breached`, `task.scheduled`. */
  event: string;
  /** `incident` or `task`: which template family renders it. */
  family: 'incident' | 'task';
  /** One line: what happened ("IHR breached: Reports fail to render"). */
  headline: string;
  /** Default subject line for email, title for chat. */
  title: string;
  /** Labelled facts in reading order (plan, severity, due times, ...). */
  facts: Array<{ label: string; value: string }>;
  /** What fired and what comes next, in sentences. */
  lines: string[];
  /** Links: the incident in the API, the workflow in the Temporal UI. */
  links: Array<{ label: string; url: string }>;
  /** The webhook-id of the event: every channel carries it, so repeats are recognisable. */
  webhookId: string;
  /** Named values for templates (`{{vars.summary}}`), all strings. */
  vars: Record<string, string>;
}

/** Plain text of a message: the fallback when a template fails, and the basis of chat text. */
export function plainText(message: NotificationMessage, greeting?: string): string {
  return [
    ...(greeting ? [greeting, ''] : []),
    message.headline,
    '',
    ...message.facts.map((f) => `${f.label}: ${f.value}`),
    ...(message.lines.length ? ['', ...message.lines] : []),
    ...(message.links.length ? ['', ...message.links.map((l) => `${l.label}: ${l.url}`)] : []),
    '',
    `Event ${message.event}, id ${message.webhookId}`,
  ].join('\n');
}

/** Headlines of the events the engine sends; other events read as their name. */
export const EVENT_HEADLINES: Record<string, string> = {
  'ihr.warning': 'IHR warning: half of the response target used',
  'ihr.at_risk': 'IHR at risk: three quarters of the response target used',
  'ihr.breached': 'IHR breached: no human response by the due time',
  'ihr.escalated': 'IHR breach escalated',
  'incident.critical_opened': 'Critical incident opened',
  'task.created': 'New task',
  'task.reminder': 'Reminder',
  'task.overdue': 'Task overdue',
  'task.expired': 'Task expired',
  'task.closed': 'Task closed',
  'task.scheduled': 'Scheduled',
  'task.completed': 'Task completed',
};

export const headlineOf = (event: string): string => EVENT_HEADLINES[event] ?? event;
