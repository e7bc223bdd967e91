import { API_ROLES, ApiRole } from '../../../../libs/auth/src';
import type { Explanation } from '../../../../libs/business-time/src';
import { TimelineType } from '../../../../libs/contracts/src';
import { CustomerIncidentStatusSchema, IncidentSchema, IncidentStatusSchema } from './incident.schemas';
import { customerView, FullIncident, INCIDENT_VIEWS, incidentViewFor } from './incident-views';

/**
 * Issue 14, item 12: one projection per role. The fixture sets every internal field the status can
 * carry (delivery reports with addresses, subscriber ids and attempts, delivery failures, webhook ids,
 * actors and responders that are key ids, and a field the status may grow, `recordedBy`), and the
 * customer projection is walked in full: no key and no value of it may be one of them.
 */

const KEY_IDS = ['key-agent-7', 'key-admin-1', 'key-acme-3', 'key-tam-9'];
const ADDRESSES = [
  'jane.doe@vendor.example',
  'sam.manager@vendor.example',
  'dee.director@vendor.example',
  'ops@vendor.example',
  '+358401234567',
];
const SUBSCRIBERS = ['hook-crm-1', 'hook-pager-2'];
const WEBHOOK_IDS = ['INC-ABC123.0.warn', 'INC-ABC123.0.at_risk', 'INC-ABC123.0.breach'];
const SECRETS = [
  ...KEY_IDS,
  ...ADDRESSES,
  ...SUBSCRIBERS,
  ...WEBHOOK_IDS,
  'slack:supportManager',
  'connect ECONNREFUSED 10.0.0.7:443',
];
/** Members that only carry delivery internals or key ids. */
const INTERNAL_KEYS = [
  'webhookId',
  'report',
  'recipients',
  'delivered',
  'attempt',
  'unreached',
  'undeliverable',
  'error',
  'failedSubscribers',
  'deliveryFailures',
  'recordedBy',
];

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString();

const explanation: Explanation = {
  zone: 'Europe/Helsinki',
  coverage: '24x7',
  start: '2026-12-01T11:00:00+02:00',
  due: '2026-12-01T12:30:00+02:00',
  startMs: Date.parse(at(0)),
  dueMs: Date.parse(at(90)),
  durationMs: 5_400_000,
  duration: '1h30m',
  counted: [{ from: '2026-12-01T11:00:00+02:00', to: '2026-12-01T12:30:00+02:00', ms: 5_400_000 }],
  skipped: [{ date: '2026-11-29', reason: 'weekend' }],
  dstShifts: [],
  summary: '1h30m of 24x7 from Tue 2026-12-01 11:00 EET: due 12:30 EET',
};

function fullIncident(): FullIncident {
  const report = (webhookId: string) => ({
    webhookId,
    recipients: [
      { role: 'tam' as const, address: 'jane.doe@vendor.example' },
      { role: 'supportManager' as const, address: 'sam.manager@vendor.example' },
    ],
    delivered: [
      'hook-crm-1',
      'email:jane.doe@vendor.example',
      'email:sam.manager@vendor.example',
      'chat:slack:supportManager',
    ],
    attempt: 3,
    unreached: [{ role: 'supportDirector' as const, reason: 'no channel for dee.director@vendor.example' }],
    undeliverable: 'sms to +358401234567 refused',
  });
  const timeline: Array<{ type: TimelineType; actor?: string; details: Record<string, unknown> }> = [
    {
      type: 'opened',
      actor: 'customer:key-acme-3',
      details: { severity: 2, priority: 2, channel: 'portal', planId: 'SPE' },
    },
    {
      type: 'clock.planned',
      details: { generation: 0, severity: 2, coverage: '24x7', targetMs: 3_600_000, dueAt: at(60) },
    },
    { type: 'step.fired', details: { step: 'warn', event: 'ihr.warning', at: at(30), webhookId: WEBHOOK_IDS[0] } },
    {
      type: 'step.delivered',
      details: {
        step: 'warn',
        webhookId: WEBHOOK_IDS[0],
        delivered: ['hook-crm-1', 'email:ops@vendor.example'],
        recipients: 1,
        unreached: [{ role: 'tam', reason: 'jane.doe@vendor.example bounced' }],
      },
    },
    { type: 'step.fired', details: { step: 'at_risk', event: 'ihr.at_risk', at: at(45), webhookId: WEBHOOK_IDS[1] } },
    {
      type: 'step.delivery_failed',
      details: {
        step: 'at_risk',
        event: 'ihr.at_risk',
        webhookId: WEBHOOK_IDS[1],
        error: 'hook-pager-2: connect ECONNREFUSED 10.0.0.7:443',
      },
    },
    { type: 'step.fired', details: { step: 'breach', event: 'ihr.breached', at: at(60), webhookId: WEBHOOK_IDS[2] } },
    {
      type: 'step.undeliverable',
      details: {
        step: 'breach',
        event: 'ihr.breached',
        webhookId: WEBHOOK_IDS[2],
        reason: 'no address for dee.director@vendor.example',
      },
    },
    { type: 'ihr.breached', details: { dueAt: at(60), breachedAt: at(60) } },
    {
      type: 'response.recorded',
      actor: 'agent:key-agent-7',
      details: { kind: 'solution', respondedAt: at(70), ihr: true, recordedBy: 'agent:key-agent-7' },
    },
    {
      type: 'severity.changed',
      actor: 'admin:key-admin-1',
      details: { from: 2, to: 3, reason: 'contained', dueAt: at(90) },
    },
    { type: 'priority.changed', actor: 'tam:key-tam-9', details: { from: 2, to: 1 } },
    { type: 'resolved', actor: 'agent:key-agent-7', details: { state: 'breached', summary: 'patched' } },
  ];
  return {
    incidentId: 'INC-ABC123',
    state: 'breached',
    accountId: 'acme',
    planId: 'SPE',
    planName: 'Enterprise',
    supportCenter: 'emea',
    policyVersion: 'test-1',
    calendar: { zone: 'Europe/Helsinki', weekly: { mon: ['08:00-18:00'] } } as FullIncident['calendar'],
    severity: 3,
    priority: 1,
    summary: 'Reports fail to render',
    enteredAt: at(0),
    ihr: {
      generation: 1,
      severity: 3,
      coverage: '24x7',
      targetMs: 5_400_000,
      dueAt: at(90),
      dueLabel: 'IHR due Tue 1 Dec 12:30 Europe/Helsinki',
      steps: [
        { id: 'warn', event: 'ihr.warning', notify: ['supportQueue'], at: at(45), atLabel: 'Tue 1 Dec 11:45' },
        { id: 'level2', event: 'ihr.escalated', notify: ['supportDirector'], afterBreachMs: 3_600_000 },
      ],
      explanation,
    },
    outcome: {
      outcome: 'breached',
      kind: 'solution',
      responder: 'agent:key-agent-7',
      respondedAt: at(70),
      dueAt: at(60),
      businessTimeTakenMs: 4_200_000,
    },
    breachedAt: at(60),
    responses: [
      // `recordedBy`/`recordedAt`: a field the status may carry (issue 14, item 4); the allow-list keeps it out.
      {
        kind: 'solution',
        responder: 'agent:key-agent-7',
        respondedAt: at(70),
        ihr: true,
        recordedBy: 'agent:key-agent-7',
        recordedAt: at(71),
      } as FullIncident['responses'][number],
      { kind: 'information_request', responder: 'Eve (support)', respondedAt: at(75), ihr: false },
    ],
    ladder: {
      fired: [
        {
          id: 'warn',
          event: 'ihr.warning',
          at: at(30),
          firedAt: at(30),
          webhookId: WEBHOOK_IDS[0],
          delivery: 'delivered',
          report: report(WEBHOOK_IDS[0]),
        },
        {
          id: 'at_risk',
          event: 'ihr.at_risk',
          at: at(45),
          firedAt: at(46),
          webhookId: WEBHOOK_IDS[1],
          delivery: 'failed',
          error: 'hook-pager-2: connect ECONNREFUSED 10.0.0.7:443',
        },
        {
          id: 'breach',
          event: 'ihr.breached',
          at: at(60),
          firedAt: at(60),
          webhookId: WEBHOOK_IDS[2],
          delivery: 'undeliverable',
          report: report(WEBHOOK_IDS[2]),
          error: 'no address for dee.director@vendor.example',
        },
      ],
      pending: [{ id: 'level2', event: 'ihr.escalated', afterBreachMs: 3_600_000 }],
    },
    timeline: timeline.map((e, i) => ({ at: at(i), ...e })),
    deliveryFailures: [
      {
        at: at(46),
        stepId: 'at_risk',
        event: 'ihr.at_risk',
        webhookId: WEBHOOK_IDS[1],
        error: 'connect ECONNREFUSED 10.0.0.7:443',
        failedSubscribers: ['hook-pager-2'],
      },
    ],
    resolution: { at: at(80), summary: 'patched', actor: 'admin:key-admin-1' },
    remainingBusinessMs: null,
  };
}

/** Every member name and every string or number value of a JSON value, walked in full. */
function walk(value: unknown, keys = new Set<string>(), values: Array<string | number> = []) {
  if (typeof value === 'string' || typeof value === 'number') values.push(value);
  else if (Array.isArray(value)) for (const v of value) walk(v, keys, values);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      keys.add(k);
      walk(v, keys, values);
    }
  }
  return { keys, values };
}

describe('incident views by role (issue 14, item 12)', () => {
  it('the fixture does carry every internal (so the customer test below means something)', () => {
    const { keys, values } = walk(fullIncident());
    for (const key of INTERNAL_KEYS) expect([key, keys.has(key)]).toEqual([key, true]);
    for (const secret of SECRETS)
      expect([secret, values.some((v) => String(v).includes(secret))]).toEqual([secret, true]);
  });

  it('has a projection for every role, chosen in one place', () => {
    expect(Object.keys(INCIDENT_VIEWS).sort()).toEqual([...API_ROLES].sort());
    for (const role of API_ROLES) expect(incidentViewFor(role)).toBe(INCIDENT_VIEWS[role]);
  });

  it.each(['admin', 'agent', 'tam'] as ApiRole[])('%s keys see everything', (role) => {
    const full = fullIncident();
    expect(incidentViewFor(role)(full)).toEqual(fullIncident());
  });

  describe('customer keys', () => {
    const view = () => incidentViewFor('customer')(fullIncident());

    it('see no internal member anywhere in the answer', () => {
      const { keys } = walk(view());
      expect(INTERNAL_KEYS.filter((k) => keys.has(k))).toEqual([]);
    });

    it('see no address, subscriber id, key id, webhook id or delivery error anywhere in the answer', () => {
      const { values } = walk(view());
      const leaks = values.filter((v) => typeof v === 'string' && SECRETS.some((secret) => v.includes(secret)));
      expect(leaks).toEqual([]);
      expect(values.filter((v) => typeof v === 'string' && /^(admin|agent|tam|customer):/.test(v))).toEqual([]);
      // The attempt count (3) of the delivery reports is a number: no member named `attempt` is left (above).
    });

    it('still see their incident: state, clock, steps fired, responses and changes (actors by role)', () => {
      const v = view();
      expect(v).toMatchObject({
        incidentId: 'INC-ABC123',
        state: 'breached',
        severity: 3,
        priority: 1,
        breachedAt: at(60),
        remainingBusinessMs: null,
      });
      expect(v.ihr).toEqual(fullIncident().ihr);
      expect(v.ladder.fired).toEqual([
        { id: 'warn', event: 'ihr.warning', at: at(30), firedAt: at(30) },
        { id: 'at_risk', event: 'ihr.at_risk', at: at(45), firedAt: at(46) },
        { id: 'breach', event: 'ihr.breached', at: at(60), firedAt: at(60) },
      ]);
      expect(v.ladder.pending).toEqual(fullIncident().ladder.pending);
      expect(v.responses).toEqual([
        { kind: 'solution', responder: 'agent', respondedAt: at(70), ihr: true },
        { kind: 'information_request', responder: 'Eve (support)', respondedAt: at(75), ihr: false },
      ]);
      expect(v.outcome).toMatchObject({ outcome: 'breached', responder: 'agent' });
      expect(v.resolution).toEqual({ at: at(80), summary: 'patched', actor: 'admin' });
      expect(v.timeline.map((e) => [e.type, e.actor ?? null])).toEqual([
        ['opened', 'customer'],
        ['clock.planned', null],
        ['step.fired', null],
        ['step.fired', null],
        ['step.fired', null],
        ['ihr.breached', null],
        ['response.recorded', 'agent'],
        ['severity.changed', 'admin'],
        ['priority.changed', 'tam'],
        ['resolved', 'agent'],
      ]);
      expect(v.timeline.find((e) => e.type === 'step.fired')!.details).toEqual({
        step: 'warn',
        event: 'ihr.warning',
        at: at(30),
      });
    });

    it("is the document's CustomerIncidentStatus, unchanged by the answer serializer, and not the full IncidentStatus", () => {
      const v = view();
      expect(CustomerIncidentStatusSchema.parse(v)).toEqual(v);
      expect(IncidentSchema.parse(v)).toEqual(v);
      expect(IncidentStatusSchema.safeParse(v).success).toBe(false);
    });

    it('the full status serializes as IncidentStatus, with nothing dropped', () => {
      // Without the future `recordedBy`/`recordedAt` members, which the document does not name yet.
      const full = fullIncident();
      full.responses = full.responses.map(({ kind, responder, respondedAt, ihr }) => ({
        kind,
        responder,
        respondedAt,
        ihr,
      }));
      expect(IncidentSchema.parse(full)).toEqual(full);
    });

    it('a customer view of a fresh incident (no clock, outcome or resolution yet) is valid too', () => {
      const fresh = {
        ...fullIncident(),
        state: 'pending' as const,
        ihr: null,
        outcome: null,
        breachedAt: null,
        responses: [],
        resolution: null,
        remainingBusinessMs: 1000,
        timeline: [],
        deliveryFailures: [],
        ladder: { fired: [], pending: [] },
      };
      const v = customerView(fresh);
      expect(CustomerIncidentStatusSchema.parse(v)).toEqual(v);
    });
  });
});
