/**
 * Examples of the main incident operations, published in the OpenAPI document. The unit test
 * incident.examples.spec.ts parses each through its schema, so an example cannot drift either.
 */
export const EXAMPLES = {
  openIncident: {
    accountId: 'acme',
    contactId: 'C1',
    severity: 3,
    priority: 2,
    channel: 'portal',
    product: 'Engine',
    productVersion: '4.2',
    summary: 'Reports fail to render',
    description: 'Blank monthly report since the upgrade',
  },
  opened: {
    incidentId: 'INC-7F3A9C21B4E0',
    created: true,
    dueAt: '2026-12-01T14:00:00+02:00',
    dueLabel: 'IHR due Tue 1 Dec 14:00 Europe/Helsinki',
    warnings: [],
    links: { self: '/v1/incidents/INC-7F3A9C21B4E0' },
  },
  recordResponse: { kind: 'solution', responder: 'ann.agent' },
  recorded: {
    ihr: true,
    outcome: 'met',
    respondedAt: '2026-12-01T10:12:00.000Z',
    dueAt: '2026-12-01T12:00:00.000Z',
    businessTimeTakenMs: 4_320_000,
  },
} as const;
