import { localTime } from './local-time';
import { headlineOf, NotificationMessage } from './message';

/** An incident ladder event as the notification activity knows it (all instants ISO). */
export interface IncidentEvent {
  event: string;
  webhookId: string;
  stepId: string;
  stepAt: string;
  occurredAt: string;
  incident: {
    incidentId: string;
    accountId: string;
    planId: string;
    planName: string;
    severity: number;
    severityName: string;
    priority: number;
    supportCenter: string;
    centerName: string;
    centerZone: string;
    summary: string;
    dueAt: string | null;
  };
  /** How the due instant was counted (the clock's explanation summary), when the workflow sent it. */
  explanation?: string;
  /** The next ladder step, when the workflow sent it: planned instant, or a delay after the breach. */
  next?: { event: string; at?: string; afterBreachMs?: number } | null;
  links: { incident?: string; workflow?: string };
}

export interface Reader {
  name: string;
  zone: string;
  locale: string;
}

const hours = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 60_000)} min`);

/** Due and step instants in the center's zone, and in the reader's zone when it differs. */
function when(iso: string, centerZone: string, reader: Reader): string {
  const center = localTime(iso, centerZone, reader.locale);
  return reader.zone === centerZone ? center : `${center}; your time ${localTime(iso, reader.zone, reader.locale)}`;
}

export function incidentMessage(input: IncidentEvent, reader: Reader): NotificationMessage {
  const { incident } = input;
  const headline = `${headlineOf(input.event)}: ${incident.summary}`;
  const due = incident.dueAt ? when(incident.dueAt, incident.centerZone, reader) : 'not planned';
  const next = input.next;
  const nextLine =
    next === undefined
      ? undefined
      : next === null
        ? 'No further escalation step is planned.'
        : next.at
          ? `Next: ${next.event} at ${when(next.at, incident.centerZone, reader)}.`
          : `Next: ${next.event} ${hours(next.afterBreachMs ?? 0)} after the breach.`;
  return {
    event: input.event,
    family: 'incident',
    headline,
    title: `[SLA ${incident.planId} Sev ${incident.severity}] ${headlineOf(input.event)} · ${incident.accountId} · ${incident.summary}`,
    facts: [
      { label: 'Incident', value: incident.incidentId },
      { label: 'Account', value: incident.accountId },
      { label: 'Plan', value: `${incident.planId} (${incident.planName})` },
      { label: 'Severity', value: `${incident.severity} (${incident.severityName})` },
      { label: 'Priority', value: String(incident.priority) },
      { label: 'Support center', value: `${incident.centerName} (${incident.centerZone})` },
      { label: 'IHR due', value: due },
      ...(input.explanation ? [{ label: 'How the due time was counted', value: input.explanation }] : []),
    ],
    lines: [
      `Step ${input.stepId} (${input.event}) was planned for ${when(input.stepAt, incident.centerZone, reader)} and fired at ${when(input.occurredAt, incident.centerZone, reader)}.`,
      ...(nextLine ? [nextLine] : []),
    ],
    links: [
      ...(input.links.incident ? [{ label: 'Incident', url: input.links.incident }] : []),
      ...(input.links.workflow ? [{ label: 'Workflow in the Temporal UI', url: input.links.workflow }] : []),
    ],
    webhookId: input.webhookId,
    vars: {
      incidentId: incident.incidentId,
      accountId: incident.accountId,
      planId: incident.planId,
      planName: incident.planName,
      severity: String(incident.severity),
      severityName: incident.severityName,
      priority: String(incident.priority),
      summary: incident.summary,
      center: incident.centerName,
      due,
      step: input.stepId,
      recipientName: reader.name,
    },
  };
}
