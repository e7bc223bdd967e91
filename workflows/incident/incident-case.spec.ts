import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { parse } from 'yaml';
import { addBusinessTime } from '../../libs/business-time/src';
import type { FiredStep, IhrClock, IncidentIntake, Severity } from '../../libs/contracts/src/incident';
import { REJECTION, RejectionDetails } from '../../libs/contracts/src/rejection';
import { buildPolicy, IhrClockPlanner, pinSla } from '../../libs/policy/src';
import { CRITICAL_OPEN_STEP_ID, IncidentCase, IncidentMetrics } from './incident-case';

// The incident's rules driven directly, without Temporal: clocks come from the real policy and the
// calendar planner the clock activities use, so every instant below is a real business-time instant.
const policy = buildPolicy(
  parse(readFileSync(join(__dirname, '..', '..', 'config', 'sla-policy.yaml'), 'utf8')),
  'config',
);
const planner = new IhrClockPlanner();
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

/** Fri 9 Jan 2026 16:00 Helsinki: an hour before closing, no holiday in the days that follow. */
const FRIDAY_16 = '2026-01-09T14:00:00.000Z';
/** Mon 12 Jan 2026 08:00 Helsinki: the opening of a regular business week. */
const MONDAY_08 = '2026-01-12T06:00:00.000Z';

function openIncident(planId: string, severity: Severity, enteredAt: string) {
  const pinned = pinSla(policy, planId, 'emea');
  const intake: IncidentIntake = {
    incidentId: 'INC-0123456789AB',
    accountId: 'acme',
    contactId: 'c1',
    severity,
    priority: 3,
    channel: 'portal',
    product: 'Engine',
    productVersion: '4.2',
    summary: `${planId} Sev ${severity}`,
    description: 'unit test incident',
    enteredAt,
  };
  const outcomes: string[] = [];
  const lateness: number[] = [];
  const metrics: IncidentMetrics = {
    outcome: (_tags, outcome) => outcomes.push(outcome),
    stepFired: (_tags, _step, _event, latenessMs) => lateness.push(latenessMs),
    deliveryFailed: () => undefined,
  };
  const incident = new IncidentCase({ intake, pinned }, metrics);
  const enteredMs = Date.parse(enteredAt);
  const clock = planner.plan({ pinned, severity, enteredAt, generation: 0 });
  incident.open(enteredMs);
  incident.applyClock(enteredMs, clock);
  return { incident, intake, pinned, clock, enteredMs, dueMs: Date.parse(clock.dueAt), outcomes, lateness };
}

/** The workflow's timer loop without Temporal: wakes at each instant the case asks for, up to `untilMs`. */
function runTimer(incident: IncidentCase, fromMs: number, untilMs: number): FiredStep[] {
  const fired: FiredStep[] = [];
  for (let now = fromMs, wakeUps = 0; wakeUps < 100; wakeUps++) {
    incident.breachIfDue(now);
    for (const { step, atMs } of incident.stepsDue(now)) fired.push(incident.fireStep(now, step, atMs));
    const next = incident.nextWakeUp(now);
    if (!next || next.ms > untilMs) return fired;
    now = next.ms;
  }
  throw new Error('the timer never settled');
}

/** The clock's percent steps at or before `untilMs`, in the order of their instants. */
function plannedUntil(clock: IhrClock, untilMs: number) {
  return clock.steps
    .filter((step) => step.at !== undefined && Date.parse(step.at) <= untilMs)
    .sort((a, b) => Date.parse(a.at!) - Date.parse(b.at!))
    .map((step) => ({ id: step.id, at: step.at! }));
}

const instantOf = (clock: IhrClock, id: string) => Date.parse(clock.steps.find((step) => step.id === id)!.at!);

/** The details of the rejection `check` throws (what the API turns into problem+json). */
function rejectionOf(check: () => void): RejectionDetails {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).type).toBe(REJECTION);
    return (error as ApplicationFailure).details![0] as RejectionDetails;
  }
  throw new Error('accepted, expected a rejection');
}

describe('IncidentCase', () => {
  it('a response before the due instant meets the IHR and stops the ladder', () => {
    const { incident, pinned, clock, enteredMs, dueMs, outcomes } = openIncident('SP2', 3, FRIDAY_16);
    const warnMs = instantOf(clock, 'warn');
    expect(runTimer(incident, enteredMs, warnMs).map((f) => f.id)).toEqual(['warn']);
    const respondedMs = warnMs + MIN;
    expect(respondedMs).toBeLessThan(dueMs);

    const recorded = incident.recordResponse(respondedMs, { kind: 'solution', responder: 'agent-1' });
    const measured = planner.measure({ pinned, severity: 3, from: FRIDAY_16, to: recorded.respondedAt });
    const result = incident.responseMeasured(recorded, measured);

    expect(result).toEqual({
      ihr: true,
      outcome: 'met',
      respondedAt: iso(respondedMs),
      dueAt: clock.dueAt,
      businessTimeTakenMs: measured,
    });
    const status = incident.snapshot();
    expect(status).toMatchObject({ state: 'met', breachedAt: null, outcome: { outcome: 'met', responder: 'agent-1' } });
    expect(status.outcome!.businessTimeTakenMs).toBe(measured);
    expect(status.ladder.pending).toEqual([]);
    expect(incident.nextWakeUp(respondedMs)).toBeUndefined();
    expect(runTimer(incident, respondedMs, dueMs + DAY)).toEqual([]);
    expect(outcomes).toEqual(['met']);

    // A later response is recorded but is not the IHR: the outcome stays.
    const later = incident.recordResponse(dueMs + HOUR, { kind: 'information_request', responder: 'agent-2' });
    expect(incident.responseMeasured(later, 0)).toMatchObject({ ihr: false, outcome: 'met', dueAt: clock.dueAt });
    expect(incident.snapshot().responses.map((r) => r.ihr)).toEqual([true, false]);
  });

  it('without a response the timer breaches at the due instant exactly, firing the ladder in order', () => {
    const { incident, clock, enteredMs, dueMs, outcomes } = openIncident('SP2', 3, FRIDAY_16);
    runTimer(incident, enteredMs, dueMs - 1);
    expect(incident.snapshot().state).toBe('pending');
    expect(incident.nextWakeUp(dueMs - 1)?.ms).toBe(dueMs);

    const fired = runTimer(incident, dueMs, dueMs);
    const status = incident.snapshot();
    expect(status.state).toBe('breached');
    expect(status.breachedAt).toBe(clock.dueAt);
    expect(status.ladder.fired.map((f) => ({ id: f.id, at: f.at }))).toEqual(plannedUntil(clock, dueMs));
    expect(fired.map((f) => f.firedAt)).toEqual([clock.dueAt]);
    expect(outcomes).toEqual(['breached']);
  });

  it('the IHR is met by a response at the due instant exactly and breached 1 ms after it (rule 4)', () => {
    const atDue = openIncident('SP2', 3, FRIDAY_16);
    const met = atDue.incident.recordResponse(atDue.dueMs, { kind: 'solution', responder: 'agent-1' });
    expect(met.outcome).toMatchObject({ outcome: 'met', respondedAt: atDue.clock.dueAt, dueAt: atDue.clock.dueAt });
    expect(atDue.outcomes).toEqual(['met']);

    const late = openIncident('SP2', 3, FRIDAY_16);
    const breached = late.incident.recordResponse(late.dueMs + 1, { kind: 'solution', responder: 'agent-1' });
    expect(breached.outcome).toMatchObject({ outcome: 'breached', respondedAt: iso(late.dueMs + 1) });
    // Established by the response (no timer ran): breached at the due instant, not at the response.
    expect(late.incident.snapshot().breachedAt).toBe(late.clock.dueAt);
    expect(late.outcomes).toEqual(['breached']);
  });

  it('after the timer fired the breach: a response dated at the due instant is met, 1 ms later breached', () => {
    const backdated = openIncident('SP2', 3, FRIDAY_16);
    runTimer(backdated.incident, backdated.enteredMs, backdated.dueMs);
    const respondedAt = backdated.clock.dueAt;
    const met = backdated.incident.recordResponse(backdated.dueMs + MIN, {
      kind: 'solution',
      responder: 'a',
      respondedAt,
    });
    expect(met.outcome.outcome).toBe('met');
    expect(backdated.incident.snapshot()).toMatchObject({ state: 'met', breachedAt: null });

    const late = openIncident('SP2', 3, FRIDAY_16);
    runTimer(late.incident, late.enteredMs, late.dueMs);
    const oneMsLate = iso(late.dueMs + 1);
    const breached = late.incident.recordResponse(late.dueMs + MIN, {
      kind: 'solution',
      responder: 'a',
      respondedAt: oneMsLate,
    });
    expect(breached.outcome.outcome).toBe('breached');
    expect(late.incident.snapshot().breachedAt).toBe(late.clock.dueAt);
    // The transition out of pending is counted once: when the timer fired the breach.
    expect(late.outcomes).toEqual(['breached']);
  });

  it('a response at 99 % of the target is met: the 50 % and 75 % steps fired, the breach step never does', () => {
    const { incident, pinned, clock, enteredMs, dueMs } = openIncident('SP2', 3, FRIDAY_16);
    const calendar = planner.calendarFor(pinned, 3);
    const takenMs = Math.round(clock.targetMs * 0.99);
    const respondedMs = addBusinessTime(calendar, enteredMs, takenMs);
    expect(respondedMs).toBeLessThan(dueMs);

    const fired = runTimer(incident, enteredMs, respondedMs);
    expect(fired.map((f) => ({ id: f.id, at: f.at }))).toEqual(plannedUntil(clock, respondedMs));
    const belowTarget = pinned.ladders.sev3.filter(
      (step) => 'percentOfTarget' in step.at && step.at.percentOfTarget < 99,
    );
    expect(fired.map((f) => f.id)).toEqual(belowTarget.map((step) => step.id));
    const recorded = incident.recordResponse(respondedMs, { kind: 'solution', responder: 'agent-1' });
    const measured = planner.measure({ pinned, severity: 3, from: FRIDAY_16, to: recorded.respondedAt });
    expect(measured).toBe(takenMs);
    expect(incident.responseMeasured(recorded, measured)).toMatchObject({ ihr: true, outcome: 'met' });
    expect(incident.snapshot().ladder.pending).toEqual([]);
    expect(runTimer(incident, respondedMs, dueMs + DAY)).toEqual([]);
    expect(incident.snapshot().ladder.fired.map((f) => f.id)).not.toContain('breach');
  });

  it('reclassified 4 → 1 after the new due instant passed: breached at once, the due steps fire in order', () => {
    const { incident, intake, pinned, enteredMs, outcomes } = openIncident('SP2', 4, MONDAY_08);
    const now = enteredMs + 6 * HOUR; // Monday 14:00: six business hours counted
    expect(runTimer(incident, enteredMs, now)).toEqual([]);
    const replanned = planner.plan({ pinned, severity: 1, enteredAt: MONDAY_08, generation: 1 });
    expect(Date.parse(replanned.dueAt)).toBeLessThan(now);

    const change = { severity: 1 as const, reason: 'production down', actor: 'lead' };
    incident.checkReclassify(change);
    incident.reclassifyRequested(change);
    incident.reclassify(now, change, replanned);

    const status = incident.snapshot();
    expect(status).toMatchObject({ state: 'breached', breachedAt: iso(now), severity: 1, ihr: replanned });
    expect(status.timeline.at(-1)).toMatchObject({
      type: 'severity.changed',
      actor: 'lead',
      details: { from: 4, to: 1 },
    });
    const fired = runTimer(incident, now, now);
    expect(fired.map((f) => ({ id: f.id, at: f.at }))).toEqual(plannedUntil(replanned, now));
    // Every percent step lies at or before the due instant, which passed: all of them are due now.
    expect(fired).toHaveLength(replanned.steps.filter((step) => step.at !== undefined).length);
    expect(fired.map((f) => f.webhookId)).toEqual(fired.map((f) => `${intake.incidentId}.1.${f.id}`));
    // Level 2 counts from the breach as it fired (now), not from the due instant.
    const level2 = replanned.steps.find((step) => step.afterBreachMs !== undefined)!;
    expect(incident.nextWakeUp(now)).toMatchObject({ ms: now + level2.afterBreachMs!, event: level2.event });
    expect(outcomes).toEqual(['breached']);
    expect(rejectionOf(() => incident.checkReclassify(change))).toMatchObject({ status: 409, rule: 'changed' });
  });

  it('reclassified to a later due instant before any response: a breached IHR is pending again', () => {
    const { incident, pinned, enteredMs, dueMs } = openIncident('SP2', 1, MONDAY_08);
    runTimer(incident, enteredMs, dueMs);
    expect(incident.snapshot().state).toBe('breached');
    const replanned = planner.plan({ pinned, severity: 4, enteredAt: MONDAY_08, generation: 1 });
    expect(Date.parse(replanned.dueAt)).toBeGreaterThan(dueMs + MIN);

    incident.reclassify(dueMs + MIN, { severity: 4, reason: 'workaround found', actor: 'lead' }, replanned);
    expect(incident.snapshot()).toMatchObject({ state: 'pending', breachedAt: null, severity: 4 });
    // Steps are fired once per id: those the Sev 1 ladder fired do not fire again, the IHR due instant is next.
    expect(incident.nextWakeUp(dueMs + MIN)).toMatchObject({ ms: Date.parse(replanned.dueAt), event: 'IHR due' });
  });

  it('fires the ladder in the order of its instants, level 2 an hour after the breach, each at its instant', () => {
    const { incident, intake, clock, enteredMs, dueMs, lateness } = openIncident('SP2', 2, FRIDAY_16);
    const level2 = clock.steps.find((step) => step.afterBreachMs !== undefined)!;
    const fired = runTimer(incident, enteredMs, dueMs + 2 * level2.afterBreachMs!);
    const expected = [...plannedUntil(clock, dueMs), { id: level2.id, at: iso(dueMs + level2.afterBreachMs!) }];
    expect(fired.map((f) => ({ id: f.id, at: f.at }))).toEqual(expected);
    expect(fired.map((f) => f.firedAt)).toEqual(expected.map((e) => e.at));
    expect(fired.map((f) => f.webhookId)).toEqual(expected.map((e) => `${intake.incidentId}.0.${e.id}`));
    expect(lateness).toEqual(expected.map(() => 0));
    expect(incident.nextWakeUp(dueMs + 2 * level2.afterBreachMs!)).toBeUndefined();
  });

  it('woken late (an outage past the due instant): the breach fires then, due steps fire at once, in order', () => {
    const { incident, clock, dueMs, lateness } = openIncident('SP2', 2, FRIDAY_16);
    const wokenMs = dueMs + 30 * MIN;
    const fired = runTimer(incident, wokenMs, wokenMs);
    expect(incident.snapshot().breachedAt).toBe(iso(wokenMs));
    expect(fired.map((f) => ({ id: f.id, at: f.at }))).toEqual(plannedUntil(clock, dueMs));
    expect(fired.every((f) => f.firedAt === iso(wokenMs))).toBe(true);
    expect(lateness).toEqual(fired.map((f) => wokenMs - Date.parse(f.at)));
    const level2 = clock.steps.find((step) => step.afterBreachMs !== undefined)!;
    expect(incident.nextWakeUp(wokenMs)?.ms).toBe(wokenMs + level2.afterBreachMs!);
  });

  it('resolving before the IHR ends it resolved and cancels the steps not fired', () => {
    const { incident, clock, enteredMs, dueMs, outcomes } = openIncident('SP2', 3, FRIDAY_16);
    const warnMs = instantOf(clock, 'warn');
    runTimer(incident, enteredMs, warnMs);
    const resolvedMs = warnMs + MIN;

    expect(incident.resolve(resolvedMs, { summary: 'fixed', actor: 'agent-1' })).toEqual({
      state: 'resolved',
      resolvedAt: iso(resolvedMs),
    });
    const status = incident.snapshot();
    expect(status.resolution).toEqual({ at: iso(resolvedMs), summary: 'fixed', actor: 'agent-1' });
    expect(status.ladder).toEqual({ fired: [expect.objectContaining({ id: 'warn' })], pending: [] });
    expect(incident.isResolved).toBe(true);
    expect(incident.stepsDue(dueMs + DAY)).toEqual([]);
    expect(incident.nextWakeUp(resolvedMs)).toBeUndefined();
    expect(outcomes).toEqual(['resolved']);
  });

  it('changes the priority, ignoring repeats, values out of range and changes after resolution', () => {
    const { incident, enteredMs } = openIncident('SP2', 3, FRIDAY_16);
    const from = incident.priority;
    expect(incident.changePriority(enteredMs + MIN, { priority: 1, actor: 'lead' })).toBe(true);
    expect(incident.priority).toBe(1);
    expect(incident.visibleState().priority).toBe(1);
    expect(incident.snapshot().timeline.at(-1)).toMatchObject({
      at: iso(enteredMs + MIN),
      type: 'priority.changed',
      actor: 'lead',
      details: { from, to: 1 },
    });
    expect(incident.changePriority(enteredMs + 2 * MIN, { priority: 1, actor: 'lead' })).toBe(false);
    expect(incident.changePriority(enteredMs + 2 * MIN, { priority: 7 as never, actor: 'lead' })).toBe(false);
    incident.resolve(enteredMs + 3 * MIN, { summary: 'done', actor: 'lead' });
    expect(incident.changePriority(enteredMs + 4 * MIN, { priority: 2, actor: 'lead' })).toBe(false);
    expect(incident.priority).toBe(1);
  });

  it('rejects responses not human, unnamed, dated before entry or in the future, or after resolution', () => {
    const { incident, enteredMs } = openIncident('SP2', 3, FRIDAY_16);
    const now = enteredMs + HOUR;
    const check = (response: object) => rejectionOf(() => incident.checkResponse(now, response as never));
    expect(check({ kind: 'auto_ack', responder: 'bot' })).toMatchObject({ status: 422, field: 'kind' });
    expect(check({ kind: 'solution', responder: ' ' })).toMatchObject({ status: 422, field: 'responder' });
    expect(check({ kind: 'solution', responder: 'a', respondedAt: 'soon' })).toMatchObject({ rule: 'format' });
    expect(check({ kind: 'solution', responder: 'a', respondedAt: iso(enteredMs - 1) })).toMatchObject({
      rule: 'afterEntry',
    });
    expect(check({ kind: 'solution', responder: 'a', respondedAt: iso(now + 1) })).toMatchObject({
      rule: 'notInFuture',
    });
    expect(() =>
      incident.checkResponse(now, { kind: 'solution', responder: 'a', respondedAt: iso(now) }),
    ).not.toThrow();

    incident.resolve(now, { summary: 'fixed', actor: 'agent-1' });
    expect(check({ kind: 'solution', responder: 'a' })).toEqual({
      status: 409,
      field: 'incident',
      rule: 'open',
      message: 'the incident is resolved: no more responses are recorded',
    });
    expect(rejectionOf(() => incident.checkResolve({ summary: 'again', actor: 'a' }))).toMatchObject({ status: 409 });
    const reclassify = { severity: 1 as const, reason: 'r', actor: 'a' };
    expect(rejectionOf(() => incident.checkReclassify(reclassify))).toMatchObject({ status: 409, field: 'incident' });
  });

  it('rejects reclassifications out of range, to the severity already requested, or without reason or actor', () => {
    const { incident } = openIncident('SP2', 3, FRIDAY_16);
    const check = (change: object) => rejectionOf(() => incident.checkReclassify(change as never));
    expect(check({ severity: 5, reason: 'r', actor: 'a' })).toMatchObject({ status: 422, field: 'severity' });
    expect(check({ severity: 3, reason: 'r', actor: 'a' })).toMatchObject({ status: 409, rule: 'changed' });
    expect(check({ severity: 2, reason: '', actor: 'a' })).toMatchObject({ status: 422, field: 'reason' });
    expect(check({ severity: 2, reason: 'r', actor: '' })).toMatchObject({ status: 422, field: 'actor' });
    // Accepted and not yet planned: a second request for the same severity already conflicts.
    incident.reclassifyRequested({ severity: 2, reason: 'r', actor: 'a' });
    expect(check({ severity: 2, reason: 'r', actor: 'a' })).toMatchObject({ status: 409, rule: 'changed' });
  });

  it('critical open: due at entry on a critical plan and severity, once; and after a reclassification to it', () => {
    const spe = openIncident('SPE', 1, MONDAY_08);
    const critical = spe.incident.criticalOpenDue()!;
    expect(critical).toEqual({ id: CRITICAL_OPEN_STEP_ID, ...spe.pinned.criticalOpenStep });
    spe.incident.fireStep(spe.enteredMs, critical, spe.enteredMs);
    expect(spe.incident.criticalOpenDue()).toBeUndefined();

    const sp1 = openIncident('SP1', 3, MONDAY_08);
    expect(sp1.pinned.criticalOpen.sev3).toBe(false);
    expect(sp1.incident.criticalOpenDue()).toBeUndefined();
    const replanned = planner.plan({ pinned: sp1.pinned, severity: 1, enteredAt: MONDAY_08, generation: 1 });
    sp1.incident.reclassify(sp1.enteredMs + MIN, { severity: 1, reason: 'outage', actor: 'lead' }, replanned);
    expect(sp1.incident.criticalOpenDue()?.id).toBe(CRITICAL_OPEN_STEP_ID);
  });
});

// Issue 14, item 1: a command takes effect at the instant the API received it (`receivedAt`), clamped
// to [entry, now]; item 4: a response dated in the past carries when and by which key it was recorded.
describe('IncidentCase: instants are the request’s (patch request-instants)', () => {
  it('a response received before due but applied after the timer breached: met at the received instant', () => {
    const { incident, clock, enteredMs, dueMs, outcomes } = openIncident('SP2', 2, MONDAY_08);
    const level2 = clock.steps.find((step) => step.afterBreachMs !== undefined)!;
    // The update waited (a worker backlog) past level 2's instant: the breach and level 2 fired first.
    const appliedMs = dueMs + level2.afterBreachMs! + MIN;
    const fired = runTimer(incident, enteredMs, appliedMs);
    expect(fired.map((f) => f.id)).toContain('level2');
    expect(incident.snapshot().state).toBe('breached');

    const receivedAt = iso(dueMs - MIN);
    const recorded = incident.recordResponse(appliedMs, { kind: 'solution', responder: 'agent-1', receivedAt });
    expect(recorded).toMatchObject({
      ihr: true,
      respondedAt: receivedAt,
      outcome: { outcome: 'met', respondedAt: receivedAt },
    });
    const status = incident.snapshot();
    expect(status).toMatchObject({ state: 'met', breachedAt: null, outcome: { outcome: 'met' } });
    expect(status.responses).toEqual([expect.objectContaining({ respondedAt: receivedAt, ihr: true })]);
    // The record keeps what happened: the breach and its notifications, then the response at its instant.
    const types = status.timeline.map((e) => e.type);
    expect(types.indexOf('ihr.breached')).toBeLessThan(types.indexOf('response.recorded'));
    expect(status.ladder.fired.map((f) => f.id)).toEqual(expect.arrayContaining(['breach', 'level2']));
    expect(status.timeline.at(-1)).toEqual({
      at: receivedAt,
      type: 'response.recorded',
      actor: 'agent-1',
      details: {
        kind: 'solution',
        respondedAt: receivedAt,
        ihr: true,
        appliedAt: iso(appliedMs),
        breachRetracted: clock.dueAt,
      },
    });
    expect(status.ladder.pending).toEqual([]);
    expect(incident.nextWakeUp(appliedMs)).toBeUndefined();
    expect(outcomes).toEqual(['breached', 'met']);
    expect(incident.visibleState().state).toBe('met');
  });

  it('a receivedAt in the worker’s future is taken as now; one before entry as the entry instant', () => {
    const skewed = openIncident('SP2', 3, FRIDAY_16);
    const now = skewed.enteredMs + HOUR;
    const ahead = { kind: 'solution' as const, responder: 'a', receivedAt: iso(now + 5_000) };
    expect(() => skewed.incident.checkResponse(now, ahead)).not.toThrow();
    expect(skewed.incident.recordResponse(now, ahead).respondedAt).toBe(iso(now));

    const early = openIncident('SP2', 3, FRIDAY_16);
    const before = { kind: 'solution' as const, responder: 'a', receivedAt: iso(early.enteredMs - HOUR) };
    expect(early.incident.recordResponse(early.enteredMs + HOUR, before).respondedAt).toBe(FRIDAY_16);

    // Not an instant at all (a caller that is not the API): now.
    const garbled = openIncident('SP2', 3, FRIDAY_16);
    const odd = { kind: 'solution' as const, responder: 'a', receivedAt: 'yesterday' };
    expect(garbled.incident.recordResponse(garbled.enteredMs + HOUR, odd).respondedAt).toBe(
      iso(garbled.enteredMs + HOUR),
    );
  });

  it('a respondedAt the client clock put a little after the request arrived is taken as the arrival', () => {
    const { incident, enteredMs } = openIncident('SP2', 3, FRIDAY_16);
    const receivedMs = enteredMs + HOUR;
    const response = {
      kind: 'solution' as const,
      responder: 'a',
      respondedAt: iso(receivedMs + 2_000),
      receivedAt: iso(receivedMs),
    };
    // Validated against the later of the worker's now and the arrival (the API and worker clocks differ).
    expect(() => incident.checkResponse(receivedMs - 5_000, response)).not.toThrow();
    expect(incident.recordResponse(receivedMs + 10_000, response).respondedAt).toBe(iso(receivedMs));
  });

  it('a resolution received before due, applied after the breach fired: resolved, the breach retracted', () => {
    const { incident, dueMs } = openIncident('SP2', 3, FRIDAY_16);
    runTimer(incident, dueMs + MIN, dueMs + MIN);
    expect(incident.snapshot().state).toBe('breached');
    const receivedAt = iso(dueMs - MIN);
    const result = incident.resolve(dueMs + MIN, { summary: 'fixed', actor: 'agent:k1', receivedAt });
    expect(result).toEqual({ state: 'resolved', resolvedAt: receivedAt });
    expect(incident.snapshot()).toMatchObject({ state: 'resolved', breachedAt: null, resolution: { at: receivedAt } });
    expect(incident.snapshot().timeline.at(-1)).toMatchObject({
      at: receivedAt,
      type: 'resolved',
      details: { state: 'resolved', appliedAt: iso(dueMs + MIN), breachRetracted: iso(dueMs + MIN) },
    });
  });

  it('a reclassification takes effect at its received instant: a due instant passed since is no breach then', () => {
    const { incident, pinned, enteredMs } = openIncident('SP2', 4, MONDAY_08);
    const replanned = planner.plan({ pinned, severity: 1, enteredAt: MONDAY_08, generation: 1 });
    const newDueMs = Date.parse(replanned.dueAt);
    const receivedAt = iso(newDueMs - MIN);
    const change = { severity: 1 as const, reason: 'production down', actor: 'lead', receivedAt };
    incident.reclassify(newDueMs + HOUR, change, replanned);
    expect(incident.snapshot().timeline.at(-1)).toMatchObject({ at: receivedAt, type: 'severity.changed' });
    // Pending at the received instant; the timer (woken now) then breaches it.
    expect(incident.snapshot().state).toBe('pending');
    expect(incident.breachIfDue(newDueMs + HOUR)).toBe(true);
    expect(enteredMs).toBeLessThan(newDueMs);
  });

  it('a response dated in the past carries recordedAt and the key that recorded it; over 15 min late is listed', () => {
    const { incident, enteredMs } = openIncident('SP2', 3, FRIDAY_16);
    const receivedMs = enteredMs + HOUR;
    const claimed = iso(receivedMs - 20 * MIN);
    const late = {
      kind: 'solution' as const,
      responder: 'Jane Doe',
      respondedAt: claimed,
      receivedAt: iso(receivedMs),
      recordedByKeyId: 'k-agent-7',
    };
    const recorded = incident.recordResponse(receivedMs + 500, late);
    expect(recorded.outcome).toMatchObject({
      respondedAt: claimed,
      recordedAt: iso(receivedMs),
      recordedByKeyId: 'k-agent-7',
    });
    const status = incident.snapshot();
    expect(status.responses[0]).toMatchObject({
      responder: 'Jane Doe',
      recordedAt: iso(receivedMs),
      recordedByKeyId: 'k-agent-7',
    });
    expect(status.timeline.at(-1)).toMatchObject({
      at: iso(receivedMs),
      type: 'response.recorded',
      actor: 'Jane Doe',
      details: { respondedAt: claimed, recordedAt: iso(receivedMs), recordedByKeyId: 'k-agent-7' },
    });
    expect(incident.visibleState().lateResponses).toEqual([
      { respondedAt: claimed, recordedAt: iso(receivedMs), recordedByKeyId: 'k-agent-7', lagMs: 20 * MIN, ihr: true },
    ]);

    // Ten minutes back: recorded with its recorder, but not late.
    const second = { ...late, respondedAt: iso(receivedMs + 50 * MIN), receivedAt: iso(receivedMs + HOUR) };
    incident.recordResponse(receivedMs + HOUR, second);
    expect(incident.snapshot().responses[1]).toMatchObject({
      recordedAt: iso(receivedMs + HOUR),
      recordedByKeyId: 'k-agent-7',
    });
    expect(incident.visibleState().lateResponses).toHaveLength(1);

    // Without a claimed instant the response is at its arrival: nothing to add.
    const plain = incident.recordResponse(receivedMs + 2 * HOUR, {
      kind: 'solution',
      responder: 'b',
      receivedAt: iso(receivedMs + 2 * HOUR),
    });
    expect(plain.ihr).toBe(false);
    expect(incident.snapshot().responses[2]).not.toHaveProperty('recordedByKeyId');
  });
});

describe('IncidentCase: priority as a command', () => {
  it('refuses a priority change once resolved or out of 1-4; applies it otherwise, once', () => {
    const { incident, enteredMs } = openIncident('SP2', 3, MONDAY_08);
    expect(() => incident.checkPriority({ priority: 5 as never, actor: 'c' })).toThrow(/priority is 1 to 4/);
    expect(() => incident.checkPriority({ priority: 1, actor: 'c' })).not.toThrow();
    expect(incident.changePriority(enteredMs + MIN, { priority: 1, actor: 'c' })).toBe(true);
    expect(incident.changePriority(enteredMs + 2 * MIN, { priority: 1, actor: 'c' })).toBe(false);
    incident.resolve(enteredMs + 3 * MIN, { summary: 'done', actor: 'a' });
    expect(() => incident.checkPriority({ priority: 2, actor: 'c' })).toThrow(/already resolved/);
  });
});

describe('bounded status, paged timeline, carried state (issue 14, item 6)', () => {
  it('the memo status keeps the last entries and the total; pages give every entry once, in order', () => {
    const { incident, enteredMs } = openIncident('SPE', 3, MONDAY_08);
    for (let i = 1; i <= 50; i++) incident.changePriority(enteredMs + i * MIN, { priority: i % 2 ? 1 : 2, actor: 'c' });
    const full = incident.snapshot().timeline;
    expect(full).toHaveLength(52);
    const bounded = incident.boundedSnapshot(20);
    expect(bounded.timeline).toEqual(full.slice(-20));
    expect([bounded.timelineTotal, bounded.timelineTruncated]).toEqual([52, true]);
    expect(JSON.stringify(bounded).length).toBeLessThan(JSON.stringify(incident.snapshot()).length);
    const pages = [];
    let pageToken: string | undefined;
    do {
      const page = incident.timelinePage({ pageSize: 15, pageToken });
      expect(page.total).toBe(52);
      pages.push(...page.entries);
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(pages).toEqual(full);
    expect(incident.timelinePage({ pageSize: 5000 }).entries).toHaveLength(52);
    expect(incident.timelinePage({ pageToken: 'x' }).entries[0]).toEqual(full[0]);
  });

  it('a restored case keeps the responses recorded late (the report lists them whatever run the incident is in)', () => {
    const { incident, intake, pinned, enteredMs } = openIncident('SP2', 3, FRIDAY_16);
    const receivedMs = enteredMs + HOUR;
    incident.recordResponse(receivedMs, {
      kind: 'solution',
      responder: 'Jane Doe',
      respondedAt: iso(receivedMs - 30 * MIN),
      receivedAt: iso(receivedMs),
      recordedByKeyId: 'k-agent-7',
    });
    const late = incident.visibleState();
    expect(late.lateResponseCount).toBe(1);
    const next = new IncidentCase({ intake, pinned });
    next.restore(JSON.parse(JSON.stringify(incident.carry(1))));
    expect(next.visibleState()).toEqual(late);
  });

  it('a restored case goes on where the carried one stopped: instants, fired steps, breach, timeline', () => {
    const { incident, intake, pinned, enteredMs, dueMs } = openIncident('SPE', 2, MONDAY_08);
    const before = runTimer(incident, enteredMs, dueMs + MIN);
    expect(before.map((f) => f.id)).toEqual(['warn', 'at_risk', 'breach']);
    const carried = JSON.parse(JSON.stringify(incident.carry(1)));
    const next = new IncidentCase({ intake, pinned });
    next.restore(carried);
    expect(next.snapshot()).toEqual(incident.snapshot());
    expect(next.nextWakeUp(dueMs + MIN)).toEqual(incident.nextWakeUp(dueMs + MIN));
    const after = runTimer(next, dueMs + MIN, dueMs + 2 * HOUR);
    expect(after.map((f) => [f.id, f.at])).toEqual([['level2', iso(dueMs + HOUR)]]);
    const carriedTimeline = incident.snapshot().timeline;
    expect(next.snapshot().timeline.slice(0, carriedTimeline.length)).toEqual(carriedTimeline);
  });
});
