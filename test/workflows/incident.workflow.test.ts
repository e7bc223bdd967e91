import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { compileCalendar, explain } from '../../libs/business-time/src';
import {
  IncidentStatus,
  IncidentWorkflowInput,
  incidentStatusQuery,
  priorityChangedSignal,
  reclassifyUpdate,
  recordResponseUpdate,
  resolveUpdate,
  SA,
  TASK_QUEUE,
} from '../../libs/contracts/src';
import { Policy } from '../../libs/policy/src';
import { NotificationActivities, NotifyInput } from '../../activities';
import { testChannels, testPeople } from '../support/people';
import { createTimeSkippingEnv, RunningWorker, startWorker } from '../support/temporal';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import {
  eventTypes,
  FAST_RETRY,
  HOOK_SECRET,
  incidentInput,
  isoOf,
  ms,
  nextLocal,
  policyWithSubscribers,
  skipTo,
  TAM_ADDRESS,
  testProviders,
} from './helpers';

// Scenarios run on the time-skipping server, which starts at the real current time and only skips
// forward: each test picks the next instant in the future that makes its case true (checked against
// the holiday calendar), skips there, starts the incident "now" and asserts exact instants.
const HEL = 'Europe/Helsinki';
const MIN = 60_000;
const HOUR = 3_600_000;
const FAILING_QUEUE = 'sla-failing-receiver';

let env: TestWorkflowEnvironment;
let receiver: WebhookReceiver;
let down: WebhookReceiver;
let policy: Policy;
let failingPolicy: Policy;
let worker: RunningWorker;
let failingWorker: RunningWorker;
const logLines: Array<Record<string, unknown>> = [];
const failingLogLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  receiver = await startWebhookReceiver(HOOK_SECRET);
  down = await startWebhookReceiver(HOOK_SECRET, { status: 500 });
  policy = policyWithSubscribers([['ops', receiver.url, ['*']]]);
  failingPolicy = policyWithSubscribers([
    ['ops', receiver.url, ['*']],
    ['down', down.url, ['ihr.*']],
  ]);
  env = await createTimeSkippingEnv();
  const namespace = env.namespace ?? 'default';
  worker = await startWorker(env.nativeConnection, namespace, policy, { providers: testProviders(logLines) });
  failingWorker = await startWorker(env.nativeConnection, namespace, failingPolicy, {
    providers: testProviders(failingLogLines),
    taskQueue: FAILING_QUEUE,
  });
});

afterAll(async () => {
  await worker?.stop();
  await failingWorker?.stop();
  await env?.teardown();
  await receiver?.close();
  await down?.close();
});

const started: WorkflowHandle[] = [];
async function start(input: IncidentWorkflowInput, taskQueue = TASK_QUEUE): Promise<WorkflowHandle> {
  const handle = await env.client.workflow.start('incidentWorkflow', {
    taskQueue,
    workflowId: `incident/${input.intake.incidentId}`,
    args: [input],
  });
  started.push(handle);
  return handle;
}

// A workflow left running (a failed test) would let the next `result()` skip time to its run timeout.
afterEach(async () => {
  for (const handle of started.splice(0)) {
    if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test cleanup');
  }
});

/** The validator's message of a rejected update. */
async function rejection(update: Promise<unknown>): Promise<string> {
  try {
    await update;
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    return (error as WorkflowUpdateFailedError).cause?.message ?? '';
  }
  throw new Error('update was accepted');
}

/**
 * Workflow time at or just after an instant: never early. The test server's clock also advances with
 * real time, so processing on a loaded machine shows up as a few ms (seconds at worst) of lateness.
 */
function expectJustAfter(actual: string, instant: string) {
  expect(Date.parse(actual)).toBeGreaterThanOrEqual(Date.parse(instant));
  expect(Date.parse(actual) - Date.parse(instant)).toBeLessThan(30_000);
}

/** A step planned for `at` fired at `at` (workflow time), never early. */
function expectFiredAt(fired: { at: string; firedAt: string }, at: string) {
  expect(fired.at).toBe(at);
  expectJustAfter(fired.firedAt, at);
}

/**
 * The result of a workflow that completes on its own (after `resolve`), without `handle.result()`:
 * that call unlocks time skipping, and an idle test server then leaps years ahead.
 */
async function completed(handle: WorkflowHandle): Promise<IncidentStatus> {
  for (let i = 0; i < 200; i++) {
    const history = await handle.fetchHistory();
    const last = history.events![history.events!.length - 1];
    const done = last.workflowExecutionCompletedEventAttributes;
    if (done) return defaultPayloadConverter.fromPayload(done.result!.payloads![0]);
    if (last.workflowExecutionFailedEventAttributes || last.workflowExecutionTerminatedEventAttributes)
      throw new Error('workflow did not complete');
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('workflow still running');
}

/** Queries do not skip time: poll until the clock is planned. */
async function planned(handle: WorkflowHandle): Promise<IncidentStatus> {
  for (let i = 0; i < 100; i++) {
    const status = await handle.query(incidentStatusQuery);
    if (status.ihr) return status;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('clock never planned');
}

/** Deliveries of one incident at the healthy receiver (waits briefly for in-flight ones). */
async function deliveriesOf(incidentId: string, expected: number) {
  for (let i = 0; i < 100; i++) {
    const found = receiver.deliveries().filter((d) => d.body?.data?.incidentId === incidentId);
    if (found.length >= expected) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  return receiver.deliveries().filter((d) => d.body?.data?.incidentId === incidentId);
}

function expectEachOnce(deliveries: Array<{ id: string }>) {
  const ids = deliveries.map((d) => d.id);
  expect(new Set(ids).size).toBe(ids.length);
}

const emea = () => compileCalendar(policy.document.supportCenters.emea.calendar);
/** No holiday or closure in the counted span: only weekends may be skipped. */
const regularSpan = (t: DateTime, durationMs: number) =>
  explain(emea(), ms(t), durationMs).skipped.every((s) => s.reason === 'weekend');

describe('incident workflow on the time-skipping server', () => {
  it('SP2 Sev 3 entered Friday 16:00 Helsinki is due Tuesday 14:00 and escalates at 50/75/100 % at the right instants', async () => {
    // A Friday whose Friday..Tuesday holds no FI holiday or configured closure (e.g. not the week of Epiphany).
    const friday = nextLocal((await env.currentTimeMs()) + MIN, HEL, { weekday: 5, hour: 16 }, (t) =>
      regularSpan(t, 16 * HOUR),
    );
    const monday = friday.plus({ days: 3 });
    const warnAt = monday.set({ hour: 15 }); // 8 business hours: Fri 16-17, Mon 08-15
    const atRiskAt = monday.plus({ days: 1 }).set({ hour: 10 }); // 12 h: + Mon 15-17, Tue 08-10
    const dueAt = monday.plus({ days: 1 }).set({ hour: 14 }); // 16 h
    await skipTo(env, ms(friday));
    const input = incidentInput(policy, { planId: 'SP2', severity: 3, enteredAt: ms(friday) });
    const handle = await start(input);
    const first = await planned(handle);
    expect(first.state).toBe('pending');
    // The status names the calendar it counts in: the one pinned at entry (remainingBusinessMs uses it).
    expect(first.calendar).toEqual(input.pinned.calendar);
    expect(first.ihr).toMatchObject({ coverage: 'business-hours', targetMs: 16 * HOUR, dueAt: isoOf(dueAt) });
    expect(first.ihr!.dueLabel).toBe(`IHR due Tue ${dueAt.toFormat('d LLL')} 14:00 Europe/Helsinki`);
    expect(first.ladder.pending).toEqual([
      { id: 'warn', event: 'ihr.warning', at: isoOf(warnAt) },
      { id: 'at_risk', event: 'ihr.at_risk', at: isoOf(atRiskAt) },
      { id: 'breach', event: 'ihr.breached', at: isoOf(dueAt) },
    ]);
    expect(first.ihr!.explanation.counted.length).toBe(3);

    await skipTo(env, ms(warnAt) - MIN);
    expect((await handle.query(incidentStatusQuery)).ladder.fired).toEqual([]);
    await skipTo(env, ms(dueAt) + MIN);
    const status = await handle.query(incidentStatusQuery);
    expect(status.state).toBe('breached');
    expectJustAfter(status.breachedAt!, isoOf(dueAt));
    expect(status.ladder.pending).toEqual([]);
    expect(status.ladder.fired.map((f) => f.id)).toEqual(['warn', 'at_risk', 'breach']);
    [warnAt, atRiskAt, dueAt].forEach((t, i) => expectFiredAt(status.ladder.fired[i], isoOf(t)));

    const deliveries = await deliveriesOf(input.intake.incidentId, 3);
    expectEachOnce(deliveries);
    expect(deliveries.map((d) => [d.body.type, d.body.data.stepAt, d.id])).toEqual([
      ['ihr.warning', isoOf(warnAt), `${input.intake.incidentId}.0.warn`],
      ['ihr.at_risk', isoOf(atRiskAt), `${input.intake.incidentId}.0.at_risk`],
      ['ihr.breached', isoOf(dueAt), `${input.intake.incidentId}.0.breach`],
    ]);
    // The payload timestamp is the workflow time the step fired.
    deliveries.forEach((d, i) => expect(d.body.timestamp).toBe(status.ladder.fired[i].firedAt));
    expect(deliveries[0].body.data).toMatchObject({
      incidentId: input.intake.incidentId,
      accountId: 'acme',
      planId: 'SP2',
      severity: 3,
      priority: 3,
      supportCenter: 'emea',
      dueAt: isoOf(dueAt),
      step: 'warn',
      recipients: [{ role: 'supportQueue', address: 'emea-support@vendor.example' }],
    });
    expect(deliveries[2].body.data.recipients).toEqual([
      { role: 'supportManager', address: 'emea-manager@vendor.example' },
      { role: 'tam', address: TAM_ADDRESS },
    ]);
    expect(logLines.filter((l) => l.id === `${input.intake.incidentId}.0.warn`)).toHaveLength(1);

    const described = await handle.describe();
    expect(described.typedSearchAttributes.get(SA.state)).toBe('breached');
    expect(described.typedSearchAttributes.get(SA.ihrDueAt)).toEqual(dueAt.toJSDate());
    expect(described.memo).toMatchObject({
      state: 'breached',
      dueAt: isoOf(dueAt),
      severity: 3,
      planId: 'SP2',
      supportCenter: 'emea',
    });

    // A late response is the IHR, breached; resolving keeps that outcome.
    const late = await handle.executeUpdate(recordResponseUpdate, {
      args: [{ kind: 'solution', responder: 'agent-1', respondedAt: new Date(ms(dueAt) + MIN).toISOString() }],
    });
    expect(late).toMatchObject({ ihr: true, outcome: 'breached', dueAt: isoOf(dueAt) });
    expect(late.businessTimeTakenMs).toBe(16 * HOUR + MIN);
    await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'fixed', actor: 'agent-1' }] });
    const result: IncidentStatus = await completed(handle);
    expect(result.state).toBe('breached');
    expect(result.resolution?.summary).toBe('fixed');
    const history = await handle.fetchHistory();
    expect(history.events!.length).toBeLessThanOrEqual(60);
  });

  it('an incident entered on Christmas Eve (closed by config) starts counting at the next opening', async () => {
    // emea closes 24 Dec (config), 25-26 Dec (FI public); the clock starts on the first weekday from 27 Dec.
    const now = await env.currentTimeMs();
    let eve = DateTime.fromObject(
      { year: DateTime.fromMillis(now, { zone: HEL }).year, month: 12, day: 24, hour: 10 },
      { zone: HEL },
    );
    if (ms(eve) <= now) eve = eve.plus({ years: 1 });
    let opening = eve.set({ day: 27, hour: 8 });
    while (opening.weekday > 5) opening = opening.plus({ days: 1 });
    await skipTo(env, ms(eve));
    const input = incidentInput(policy, { planId: 'SP2', severity: 3, enteredAt: ms(eve) });
    const handle = await start(input);
    const status = await planned(handle);
    // 16 business hours from the opening: 9 h that day + 7 h the next.
    expect(status.ihr!.dueAt).toBe(isoOf(opening.plus({ days: 1 }).set({ hour: 15 })));
    expect(status.ihr!.explanation.counted[0].from).toBe(opening.toISO({ suppressMilliseconds: true }));
    expect(status.ihr!.explanation.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ date: eve.toISODate(), reason: 'holiday', name: 'Christmas Eve' }),
      ]),
    );
    await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor: 'agent' }] });
    expect((await completed(handle)).state).toBe('resolved');
  });

  it('SPE Sev 1 at 03:00 Sunday is due 04:00 (24x7), fires critical_opened at entry and level 2 an hour after the breach', async () => {
    const sunday = nextLocal((await env.currentTimeMs()) + MIN, HEL, { weekday: 7, hour: 3 });
    await skipTo(env, ms(sunday));
    const input = incidentInput(policy, { planId: 'SPE', severity: 1, enteredAt: ms(sunday) });
    const handle = await start(input);
    const first = await planned(handle);
    expect(first.ihr).toMatchObject({ coverage: '24x7', targetMs: HOUR, dueAt: isoOf(sunday.set({ hour: 4 })) });
    const critical = await deliveriesOf(input.intake.incidentId, 1);
    expect(critical.map((d) => [d.body.type, d.body.data.stepAt])).toEqual([
      ['incident.critical_opened', isoOf(sunday)],
    ]);
    expectFiredAt(first.ladder.fired[0], isoOf(sunday));
    expect(critical[0].body.data.recipients).toEqual([
      { role: 'dutyManager', address: 'emea-duty@vendor.example' },
      { role: 'tam', address: TAM_ADDRESS },
    ]);
    expect(first.ladder.pending.map((p) => p.id)).toEqual(['warn', 'at_risk', 'breach', 'level2']);
    expect(first.ladder.pending[3]).toEqual({ id: 'level2', event: 'ihr.escalated', afterBreachMs: HOUR });

    await skipTo(env, ms(sunday) + 2 * HOUR + MIN);
    const status = await handle.query(incidentStatusQuery);
    expect(status.ladder.fired.map((f) => f.id)).toEqual(['critical_open', 'warn', 'at_risk', 'breach', 'level2']);
    [sunday.set({ minute: 30 }), sunday.set({ minute: 45 }), sunday.set({ hour: 4 })].forEach((t, i) =>
      expectFiredAt(status.ladder.fired[i + 1], isoOf(t)),
    );
    // Level 2: one hour (wall clock) after the breach actually fired.
    expectJustAfter(status.breachedAt!, isoOf(sunday.set({ hour: 4 })));
    expectFiredAt(status.ladder.fired[4], new Date(Date.parse(status.breachedAt!) + HOUR).toISOString());
    const deliveries = await deliveriesOf(input.intake.incidentId, 5);
    expectEachOnce(deliveries);
    expect(deliveries.map((d) => d.body.type)).toEqual([
      'incident.critical_opened',
      'ihr.warning',
      'ihr.at_risk',
      'ihr.breached',
      'ihr.escalated',
    ]);
    expect(deliveries[4].body.data.recipients).toEqual([
      { role: 'supportDirector', address: 'support-director@vendor.example' },
    ]);
    await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor: 'agent' }] });
    expect((await completed(handle)).state).toBe('breached');
  });

  it('SP1 Sev 1 is 24x7 while SP1 Sev 2 is business hours', async () => {
    // A Saturday 10:00 followed by a regular Monday.
    const saturday = nextLocal((await env.currentTimeMs()) + MIN, HEL, { weekday: 6, hour: 10 }, (t) =>
      regularSpan(t, 4 * HOUR),
    );
    await skipTo(env, ms(saturday));
    const sev1 = await start(incidentInput(policy, { planId: 'SP1', severity: 1, enteredAt: ms(saturday) }));
    const sev2 = await start(incidentInput(policy, { planId: 'SP1', severity: 2, enteredAt: ms(saturday) }));
    const [s1, s2] = [await planned(sev1), await planned(sev2)];
    expect(s1.ihr).toMatchObject({ coverage: '24x7', targetMs: 2 * HOUR, dueAt: isoOf(saturday.set({ hour: 12 })) });
    expect(s2.ihr).toMatchObject({
      coverage: 'business-hours',
      targetMs: 4 * HOUR,
      dueAt: isoOf(saturday.plus({ days: 2 }).set({ hour: 12 })),
    });
    for (const h of [sev1, sev2]) await h.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor: 'agent' }] });
  });

  it('reclassification 4 → 1 after the new due passed breaches at once and fires the due steps once', async () => {
    // A Monday whose Sev 4 span (24 business hours, to Wednesday) holds no holiday (e.g. not the week of Epiphany).
    const monday = nextLocal((await env.currentTimeMs()) + MIN, HEL, { weekday: 1, hour: 9 }, (t) =>
      regularSpan(t, 24 * HOUR),
    );
    await skipTo(env, ms(monday));
    const input = incidentInput(policy, { planId: 'SP2', severity: 4, enteredAt: ms(monday) });
    const handle = await start(input);
    const first = await planned(handle);
    expect(first.ihr!.dueAt).toBe(isoOf(monday.plus({ days: 2 }).set({ hour: 15 }))); // 24 business hours
    expect(
      await rejection(
        handle.executeUpdate(reclassifyUpdate, { args: [{ severity: 4, reason: 'same', actor: 'agent' }] }),
      ),
    ).toBe('severity is already 4');

    const at = monday.set({ hour: 14 }); // Sev 1 on SP2: 4 business hours, due 13:00, already passed
    await skipTo(env, ms(at));
    const clock = await handle.executeUpdate(reclassifyUpdate, {
      args: [{ severity: 1, reason: 'production down', actor: 'agent-2' }],
    });
    expect(clock).toMatchObject({
      generation: 1,
      severity: 1,
      coverage: 'business-hours',
      dueAt: isoOf(monday.set({ hour: 13 })),
    });
    const status = await handle.query(incidentStatusQuery);
    expect(status.state).toBe('breached');
    expect(status.severity).toBe(1);
    // Breached at once: the breach instant is the reclassification's workflow time.
    const now = Date.parse(status.breachedAt!);
    expect(now).toBeGreaterThanOrEqual(ms(at));
    expect(now).toBeLessThanOrEqual(await env.currentTimeMs());
    expect(status.ladder.fired.map((f) => [f.id, f.at])).toEqual([
      ['warn', isoOf(monday.set({ hour: 11 }))],
      ['at_risk', isoOf(monday.set({ hour: 12 }))],
      ['breach', isoOf(monday.set({ hour: 13 }))],
    ]);
    expect(status.ladder.pending).toEqual([
      { id: 'level2', event: 'ihr.escalated', at: new Date(now + HOUR).toISOString(), afterBreachMs: HOUR },
    ]);
    expect(status.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['severity.changed', 'ihr.breached']));

    await skipTo(env, now + HOUR + MIN);
    const later = await handle.query(incidentStatusQuery);
    expect(later.ladder.fired.map((f) => f.id)).toEqual(['warn', 'at_risk', 'breach', 'level2']);
    expectFiredAt(later.ladder.fired[3], new Date(now + HOUR).toISOString());
    const deliveries = await deliveriesOf(input.intake.incidentId, 4);
    expectEachOnce(deliveries);
    // Steps that fire together are delivered concurrently: compare as a set.
    expect(deliveries.map((d) => d.id).sort()).toEqual(
      ['at_risk', 'breach', 'level2', 'warn'].map((s) => `${input.intake.incidentId}.1.${s}`),
    );
    expect(deliveries.every((d) => d.body.data.severity === 1)).toBe(true);
    expect((await handle.describe()).typedSearchAttributes.get(SA.severity)).toBe(1);
    await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor: 'agent' }] });
  });

  it('a response at 99 % of the target stops the ladder: no breach is delivered', async () => {
    const entered = await env.currentTimeMs();
    const input = incidentInput(policy, { planId: 'SPE', severity: 3, enteredAt: entered });
    const handle = await start(input);
    await planned(handle);
    // Invalid responses are rejected by the validator with a clear reason.
    expect(
      await rejection(
        handle.executeUpdate(recordResponseUpdate, {
          args: [{ kind: 'automated_acknowledgement' as never, responder: 'bot' }],
        }),
      ),
    ).toMatch(/automated acknowledgements never count/);
    expect(
      await rejection(
        handle.executeUpdate(recordResponseUpdate, {
          args: [{ kind: 'solution', responder: 'a', respondedAt: new Date(entered - MIN).toISOString() }],
        }),
      ),
    ).toMatch(/before the incident entered/);
    expect(
      await rejection(
        handle.executeUpdate(recordResponseUpdate, {
          args: [{ kind: 'solution', responder: 'a', respondedAt: new Date(entered + HOUR).toISOString() }],
        }),
      ),
    ).toMatch(/in the future/);

    const respondAt = entered + 0.99 * 4 * HOUR;
    await skipTo(env, respondAt);
    const ihr = await handle.executeUpdate(recordResponseUpdate, {
      args: [{ kind: 'information_request', responder: 'agent-3', respondedAt: new Date(respondAt).toISOString() }],
    });
    expect(ihr).toEqual({
      ihr: true,
      outcome: 'met',
      respondedAt: new Date(respondAt).toISOString(),
      dueAt: new Date(entered + 4 * HOUR).toISOString(),
      businessTimeTakenMs: 0.99 * 4 * HOUR,
    });
    await handle.signal(priorityChangedSignal, { priority: 1, actor: 'customer' });
    await skipTo(env, entered + 6 * HOUR);
    const status = await handle.query(incidentStatusQuery);
    expect(status.state).toBe('met');
    expect(status.priority).toBe(1);
    expect(status.ladder.fired.map((f) => f.id)).toEqual(['warn', 'at_risk']);
    expect(status.ladder.pending).toEqual([]);
    const second = await handle.executeUpdate(recordResponseUpdate, {
      args: [{ kind: 'solution', responder: 'agent-3' }],
    });
    expect(second).toMatchObject({ ihr: false, outcome: 'met' });
    const deliveries = await deliveriesOf(input.intake.incidentId, 2);
    expect(deliveries.map((d) => d.body.type)).toEqual(['ihr.warning', 'ihr.at_risk']);
    expect((await handle.describe()).typedSearchAttributes.get(SA.priority)).toBe(1);
    await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'answered', actor: 'agent-3' }] });
    const result = await completed(handle);
    expect(result.state).toBe('met');
    expect(result.responses).toHaveLength(2);
  });

  it('sleeps through an 8-hour target (SPE Sev 4, 24x7) in well under a second of real time', async () => {
    const enteredAt = await env.currentTimeMs();
    const handle = await start(incidentInput(policy, { planId: 'SPE', severity: 4, enteredAt }));
    const status = await planned(handle);
    expect(Date.parse(status.ihr!.dueAt) - enteredAt).toBe(8 * 3600_000);
    const started = Date.now();
    await skipTo(env, Date.parse(status.ihr!.dueAt) + 1_000);
    let after = await handle.query(incidentStatusQuery);
    for (let i = 0; i < 100 && after.state !== 'breached'; i++) after = await handle.query(incidentStatusQuery);
    const realMs = Date.now() - started;
    expect(after.state).toBe('breached');
    expect(after.ladder.fired.map((f) => f.id)).toEqual(['warn', 'at_risk', 'breach']);
    expect(realMs).toBeLessThan(1_000);
    await handle.terminate('test done');
  });

  it('takes the clock planned at intake: no planning activity and nothing re-published in its first task but the status, same ladder', async () => {
    const enteredAt = await env.currentTimeMs();
    const input = incidentInput(policy, { planId: 'SPE', severity: 3, enteredAt, clockAtIntake: true });
    const handle = await start(input);
    const status = await planned(handle);
    expect(status.ihr).toEqual(input.initialClock);
    const firstTask = (await handle.fetchHistory()).events!.slice(0, 12);
    // The status-in-memo and notify-channels patches (each a marker and core's TemporalChangeVersion
    // upsert), the first timer and the status in the memo; no search attribute or small memo field
    // again (the start carried them).
    // Three patches since bounded-history (status-in-memo, bounded-history, notify-channels).
    const started = ['WORKFLOW_EXECUTION_STARTED', ...WORKFLOW_TASK, ...PATCH, ...PATCH, ...PATCH];
    expect(eventTypes({ events: firstTask })).toEqual([...started, 'TIMER_STARTED', 'WORKFLOW_PROPERTIES_MODIFIED']);
    expect(
      Object.keys(firstTask[5].upsertWorkflowSearchAttributesEventAttributes!.searchAttributes!.indexedFields!),
    ).toEqual(['TemporalChangeVersion']);
    expect(Object.keys(firstTask[11].workflowPropertiesModifiedEventAttributes!.upsertedMemo!.fields!)).toEqual([
      'status',
    ]);
    await skipTo(env, Date.parse(status.ihr!.dueAt) + 1_000);
    let after = await handle.query(incidentStatusQuery);
    const settled = (s: IncidentStatus) =>
      s.state === 'breached' && s.ladder.fired.every((f) => f.delivery !== 'in-flight');
    for (let i = 0; i < 100 && !settled(after); i++) after = await handle.query(incidentStatusQuery);
    expect(after.ladder.fired.map((f) => [f.id, f.at])).toEqual(
      input.initialClock!.steps.filter((s) => s.at).map((s) => [s.id, s.at]),
    );
    expect((await handle.describe()).typedSearchAttributes.get(SA.state)).toBe('breached');
    await handle.terminate('test done');
  });

  it('a clock planned at intake that is already due (entry backdated past the target) breaches at once', async () => {
    const now = await env.currentTimeMs();
    const input = incidentInput(policy, { planId: 'SPE', severity: 1, enteredAt: now - 2 * HOUR, clockAtIntake: true });
    const handle = await start(input);
    let status = await planned(handle);
    // Until every delivery settled: terminating with activities in flight stalls the test server's time skipping.
    const settled = (s: IncidentStatus) =>
      s.ladder.fired.length === 4 && s.ladder.fired.every((f) => f.delivery !== 'in-flight');
    for (let i = 0; i < 100 && !settled(status); i++) status = await handle.query(incidentStatusQuery);
    expect(status.state).toBe('breached');
    expect(status.ladder.fired.map((f) => f.id).sort()).toEqual(['at_risk', 'breach', 'critical_open', 'warn']);
    expect((await handle.describe()).typedSearchAttributes.get(SA.state)).toBe('breached');
    await handle.terminate('test done');
  });

  it('resolving before the IHR settles state resolved and completes', async () => {
    const input = incidentInput(policy, { planId: 'SP2', severity: 3, enteredAt: await env.currentTimeMs() });
    const handle = await start(input);
    await planned(handle);
    const resolved = await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'duplicate', actor: 'agent' }] });
    expect(resolved.state).toBe('resolved');
    const result = await completed(handle);
    expect(result).toMatchObject({
      state: 'resolved',
      outcome: null,
      resolution: { summary: 'duplicate', actor: 'agent' },
    });
    expect(result.ladder.pending).toEqual([]);
    const described = await handle.describe();
    expect(described.status.name).toBe('COMPLETED');
    expect(described.typedSearchAttributes.get(SA.state)).toBe('resolved');
  });

  it('a receiver that always fails: the failure is on the timeline, the ladder continues, others get each event once', async () => {
    const entered = await env.currentTimeMs();
    const input = incidentInput(failingPolicy, { planId: 'SPE', severity: 3, enteredAt: entered });
    const handle = await start(input, FAILING_QUEUE);
    await planned(handle);
    await skipTo(env, entered + 4 * HOUR + 10 * MIN);
    let status = await handle.query(incidentStatusQuery);
    for (let i = 0; i < 100 && status.deliveryFailures.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = await handle.query(incidentStatusQuery);
    }
    expect(status.ladder.fired.map((f) => [f.id, f.delivery])).toEqual([
      ['warn', 'failed'],
      ['at_risk', 'failed'],
      ['breach', 'failed'],
    ]);
    expect(status.deliveryFailures.map((f) => [f.stepId, f.failedSubscribers])).toEqual([
      ['warn', ['down']],
      ['at_risk', ['down']],
      ['breach', ['down']],
    ]);
    expect(status.deliveryFailures[0].error).toMatch(/down: HTTP 500/);
    expect(status.timeline.filter((e) => e.type === 'step.delivery_failed')).toHaveLength(3);
    // 3 attempts x 3 events
    expect(down.received.filter((r) => r.body?.data?.incidentId === input.intake.incidentId)).toHaveLength(9);
    const delivered = await deliveriesOf(input.intake.incidentId, 3);
    expectEachOnce(delivered);
    expect(delivered).toHaveLength(3);
    await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor: 'agent' }] });
    expect((await completed(handle)).deliveryFailures).toHaveLength(3);
  });
});

/** Polls the status (queries do not skip time) until `done`, or returns the last one. */
async function settle(handle: WorkflowHandle, done: (s: IncidentStatus) => boolean): Promise<IncidentStatus> {
  let status = await handle.query(incidentStatusQuery);
  for (let i = 0; i < 200 && !done(status); i++) {
    await new Promise((r) => setTimeout(r, 25));
    status = await handle.query(incidentStatusQuery);
  }
  return status;
}

const WORKFLOW_TASK = ['WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED'];
/** A patch's first use: its marker and core's TemporalChangeVersion search attribute upsert. */
const PATCH = ['MARKER_RECORDED', 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES'];
/** The patch markers of a run's first task: status-in-memo, bounded-history, notify-channels. */
const START_PATCHES = ['core_patch', 'core_patch', 'core_patch'];
const markerNames = (history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>>) =>
  history
    .events!.filter((e) => e.markerRecordedEventAttributes)
    .map((e) => e.markerRecordedEventAttributes!.markerName);
const scheduledNotify = (history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>>) =>
  history
    .events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'notify')
    .map((e) => e.activityTaskScheduledEventAttributes!);

describe('deliveries: local first attempt, durable fallback (patch notify-local-first)', () => {
  it('happy path: a step costs a marker, no notify activity; the receiver gets each event once; delivered', async () => {
    const entered = await env.currentTimeMs();
    const input = incidentInput(policy, { planId: 'SPE', severity: 3, enteredAt: entered, clockAtIntake: true });
    const handle = await start(input);
    await planned(handle);
    await skipTo(env, entered + 3 * HOUR + MIN); // SPE Sev 3: 4 h, 24x7; warn at 50 %, at-risk at 75 %
    const status = await settle(
      handle,
      (s) => s.ladder.fired.length === 2 && s.ladder.fired.every((f) => f.delivery !== 'in-flight'),
    );
    const ids = ['warn', 'at_risk'].map((step) => `${input.intake.incidentId}.0.${step}`);
    expect(status.ladder.fired).toEqual(
      ids.map((webhookId) =>
        expect.objectContaining({
          webhookId,
          delivery: 'delivered',
          report: expect.objectContaining({ webhookId, delivered: ['ops'], attempt: 1 }),
        }),
      ),
    );
    expect(status.timeline.filter((e) => e.type === 'step.delivered').map((e) => e.details.webhookId)).toEqual(ids);
    const deliveries = await deliveriesOf(input.intake.incidentId, 2);
    expect(deliveries.map((d) => d.id)).toEqual(ids);
    ids.forEach((id) => expect(logLines.filter((l) => l.id === id)).toHaveLength(1));

    const history = await handle.fetchHistory();
    // The patch markers once each (status-in-memo and notify-channels at the start, notify-local-first at
    // the first step; each with core's TemporalChangeVersion upsert), then one local-activity marker per step.
    expect(markerNames(history)).toEqual([
      ...START_PATCHES,
      'core_patch',
      'core_local_activity',
      'core_local_activity',
    ]);
    expect(scheduledNotify(history)).toEqual([]);
    const types = eventTypes(history);
    const firedAt = types.flatMap((t, i) => (t === 'TIMER_FIRED' ? [i] : []));
    // First step: the timer fires; one workflow task records the patch, the next timer, the delivery's
    // marker and then (once the local attempt ended) the status in the memo, once.
    expect(types.slice(firedAt[0], firedAt[1])).toEqual([
      'TIMER_FIRED',
      ...WORKFLOW_TASK,
      ...PATCH,
      'TIMER_STARTED',
      'MARKER_RECORDED',
      'WORKFLOW_PROPERTIES_MODIFIED',
    ]);
    // Every later step: 7 events (was 11 with the regular activity, 6 before the status in the memo).
    // The timer started is the breach's.
    expect(types.slice(firedAt[1])).toEqual([
      'TIMER_FIRED',
      ...WORKFLOW_TASK,
      'TIMER_STARTED',
      'MARKER_RECORDED',
      'WORKFLOW_PROPERTIES_MODIFIED',
    ]);
    await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor: 'agent' }] });
    expect((await completed(handle)).ladder.fired.map((f) => f.delivery)).toEqual(['delivered', 'delivered']);
    expect(receiver.deliveries().filter((d) => d.body?.data?.incidentId === input.intake.incidentId)).toHaveLength(2);
  });

  it('one subscriber failing: the fallback retries only it, within the same attempt budget; the healthy one gets the event once', async () => {
    const entered = await env.currentTimeMs();
    const input = incidentInput(failingPolicy, { planId: 'SPE', severity: 3, enteredAt: entered, clockAtIntake: true });
    const handle = await start(input, FAILING_QUEUE);
    await planned(handle);
    await skipTo(env, entered + 2 * HOUR + MIN);
    const status = await settle(
      handle,
      (s) => s.ladder.fired.length === 1 && s.ladder.fired[0].delivery !== 'in-flight',
    );
    const webhookId = `${input.intake.incidentId}.0.warn`;
    expect(status.ladder.fired.map((f) => [f.id, f.delivery])).toEqual([['warn', 'failed']]);
    expect(status.deliveryFailures).toEqual([
      expect.objectContaining({ stepId: 'warn', webhookId, failedSubscribers: ['down'] }),
    ]);
    // Attempt numbers continue across the local attempt and the fallback.
    expect(status.deliveryFailures[0].error).toMatch(
      new RegExp(`down: HTTP 500 \\(attempt ${FAST_RETRY.maximumAttempts}\\)$`),
    );
    expect(status.timeline.filter((e) => e.type === 'step.delivery_failed')).toHaveLength(1);

    const atDown = down.received.filter((r) => r.body?.data?.incidentId === input.intake.incidentId);
    expect(atDown.map((r) => r.id)).toEqual(Array(FAST_RETRY.maximumAttempts).fill(webhookId)); // local 1 + fallback 2
    const healthy = await deliveriesOf(input.intake.incidentId, 1);
    expect(healthy.map((d) => d.id)).toEqual([webhookId]);
    expect(failingLogLines.filter((l) => l.id === webhookId)).toHaveLength(1); // the fallback does not log again

    const history = await handle.fetchHistory();
    expect(markerNames(history)).toEqual([...START_PATCHES, 'core_patch', 'core_local_activity']);
    const fallback = scheduledNotify(history);
    expect(fallback).toHaveLength(1);
    expect(defaultPayloadConverter.fromPayload(fallback[0].input!.payloads![0])).toMatchObject({
      webhookId,
      resume: { logged: true, delivered: ['ops'], priorAttempts: 1 },
    });
    expect(fallback[0].retryPolicy).toMatchObject({ maximumAttempts: FAST_RETRY.maximumAttempts! - 1 });
    expect(eventTypes(history)).toContain('ACTIVITY_TASK_FAILED');

    await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor: 'agent' }] });
    expect((await completed(handle)).deliveryFailures).toHaveLength(1);
    expect(healthy).toHaveLength(1);
  });

  it('maximumAttempts 1: the local attempt is the whole budget, no fallback', async () => {
    const entered = await env.currentTimeMs();
    const input = incidentInput(failingPolicy, {
      planId: 'SPE',
      severity: 3,
      enteredAt: entered,
      clockAtIntake: true,
      retry: { ...FAST_RETRY, maximumAttempts: 1 },
    });
    const handle = await start(input, FAILING_QUEUE);
    await planned(handle);
    await skipTo(env, entered + 2 * HOUR + MIN);
    const status = await settle(
      handle,
      (s) => s.ladder.fired.length === 1 && s.ladder.fired[0].delivery !== 'in-flight',
    );
    expect(status.deliveryFailures.map((f) => [f.stepId, f.failedSubscribers])).toEqual([['warn', ['down']]]);
    expect(status.deliveryFailures[0].error).toMatch(/down: HTTP 500 \(attempt 1\)$/);
    expect(down.received.filter((r) => r.body?.data?.incidentId === input.intake.incidentId)).toHaveLength(1);
    expect(scheduledNotify(await handle.fetchHistory())).toEqual([]);
    await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor: 'agent' }] });
    await completed(handle);
  });

  it("the local attempt's time budget bounds all subscribers: those not reached in time fail it, named for the fallback", async () => {
    // A receiver that never answers: without the budget the attempt would wait DELIVERY_TIMEOUT_MS for it.
    const hang = createServer(() => undefined);
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    const hangUrl = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/hooks`;
    try {
      const subscribers = policyWithSubscribers([
        ['ops', receiver.url, ['*']],
        ['slow', hangUrl, ['*']],
        ['late', receiver.url, ['*']],
      ]);
      const log: Array<Record<string, unknown>> = [];
      const tams = { tamFor: async () => undefined, primaryContact: async () => undefined };
      const acts = new NotificationActivities(subscribers, tams, testPeople(subscribers), testChannels(), {
        write: (e) => log.push(e),
      });
      const notifyInput: NotifyInput = {
        event: 'ihr.warning',
        webhookId: 'INC-BUDGET.0.warn',
        stepId: 'warn',
        stepAt: '2026-01-13T12:00:00.000Z',
        occurredAt: '2026-01-13T12:00:00.000Z',
        roles: ['supportQueue'],
        incident: {
          incidentId: 'INC-BUDGET',
          accountId: 'acme',
          planId: 'SPE',
          severity: 3,
          priority: 3,
          supportCenter: 'emea',
          summary: 's',
          dueAt: null,
        },
        budgetMs: 400,
      };
      const started = Date.now();
      const error = await acts.notify(notifyInput).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(error).toBeInstanceOf(ApplicationFailure);
      expect((error as ApplicationFailure).details).toEqual([{ failed: ['slow', 'late'], delivered: ['ops'] }]);
      expect((error as ApplicationFailure).message).toMatch(/late: not attempted/);
      expect(receiver.deliveries().filter((d) => d.id === notifyInput.webhookId)).toHaveLength(1);
      expect(log).toHaveLength(1);
    } finally {
      hang.closeAllConnections();
      await new Promise<void>((resolve) => hang.close(() => resolve()));
    }
  });

  it('keeps its whole status in the memo: describe() answers what the query answers after every kind of change', async () => {
    const memoStatus = async (handle: WorkflowHandle) =>
      ((await handle.describe()).memo as { status?: IncidentStatus } | undefined)?.status;
    // The memo's timeline is the last 20 entries with the total (patch bounded-history); the rest is the same.
    const bounded = (status: IncidentStatus): IncidentStatus => ({
      ...status,
      timeline: status.timeline.slice(-20),
      timelineTotal: status.timeline.length,
      timelineTruncated: status.timeline.length > 20,
    });
    const expectMemoMatchesQuery = async (handle: WorkflowHandle) =>
      expect(await memoStatus(handle)).toEqual(bounded(await handle.query(incidentStatusQuery)));
    const entered = await env.currentTimeMs();
    const input = incidentInput(policy, { planId: 'SPE', severity: 3, enteredAt: entered, clockAtIntake: true });
    const handle = await start(input);
    await planned(handle);
    await expectMemoMatchesQuery(handle);

    await handle.signal(priorityChangedSignal, { priority: 1, actor: 'customer' });
    await settle(handle, (s) => s.priority === 1);
    await expectMemoMatchesQuery(handle);

    await skipTo(env, entered + 3 * HOUR + MIN); // SPE Sev 3: warn at 2 h, at-risk at 3 h
    await settle(handle, (s) => s.ladder.fired.length === 2 && s.ladder.fired.every((f) => f.delivery !== 'in-flight'));
    await expectMemoMatchesQuery(handle);

    // Sev 1 on SPE: re-planned by a local activity, and critical open fires with a local attempt.
    await handle.executeUpdate(reclassifyUpdate, {
      args: [{ severity: 1, reason: 'production down', actor: 'agent' }],
    });
    const critical = await settle(handle, (s) =>
      s.ladder.fired.some((f) => f.id === 'critical_open' && f.delivery !== 'in-flight'),
    );
    expect(critical.state).toBe('breached'); // 1 h target, 3 h in
    await expectMemoMatchesQuery(handle);

    const response = await handle.executeUpdate(recordResponseUpdate, {
      args: [{ kind: 'solution', responder: 'agent' }],
    });
    expect(response.businessTimeTakenMs).toEqual(expect.any(Number));
    await expectMemoMatchesQuery(handle);
    expect((await memoStatus(handle))!.outcome).toMatchObject({
      outcome: 'breached',
      businessTimeTakenMs: response.businessTimeTakenMs,
    });

    await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor: 'agent' }] });
    const result = await completed(handle);
    expect(await memoStatus(handle)).toEqual(bounded(result));
    expect(result.resolution).toMatchObject({ summary: 'done' });
  });

  it('history budget: SPE Sev 2, the whole ladder with level 2, a late response and resolve stay within 60 events', async () => {
    const entered = await env.currentTimeMs();
    const input = incidentInput(policy, { planId: 'SPE', severity: 2, enteredAt: entered, clockAtIntake: true });
    const handle = await start(input);
    const first = await planned(handle);
    expect(first.ladder.pending.map((p) => p.id)).toEqual(['warn', 'at_risk', 'breach', 'level2']);
    const dueMs = Date.parse(first.ihr!.dueAt);
    await skipTo(env, dueMs + HOUR + MIN); // level 2: one hour after the breach
    const status = await settle(
      handle,
      (s) => s.ladder.fired.length === 4 && s.ladder.fired.every((f) => f.delivery !== 'in-flight'),
    );
    expect(status.ladder.fired.map((f) => [f.id, f.delivery])).toEqual([
      ['warn', 'delivered'],
      ['at_risk', 'delivered'],
      ['breach', 'delivered'],
      ['level2', 'delivered'],
    ]);
    const late = await handle.executeUpdate(recordResponseUpdate, {
      args: [{ kind: 'information_request', responder: 'agent' }],
    });
    expect(late).toMatchObject({ ihr: true, outcome: 'breached' });
    await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor: 'agent' }] });
    expect((await completed(handle)).state).toBe('breached');
    const deliveries = await deliveriesOf(input.intake.incidentId, 4);
    expectEachOnce(deliveries);
    expect(deliveries).toHaveLength(4);
    // Measured: 56 events. 65 before the local first attempt (11 per step, now 6, plus the patch marker
    // and core's TemporalChangeVersion upsert once): 47. The status in the memo added 9: its patch marker
    // and TemporalChangeVersion upsert, and one memo upsert in each of 7 workflow tasks (start, 4 steps,
    // response, resolve). The margin of 3 is one extra workflow task (scheduled, started, completed), e.g.
    // a local attempt outlasting 80 % of the workflow task timeout on a loaded machine; anything beyond
    // it is a real regression. The production target is <= 60. Patch bounded-history added its marker and
    // TemporalChangeVersion upsert: 58 (measured 60 on a loaded machine).
    const events = (await handle.fetchHistory()).events!.length;
    expect(events).toBeLessThanOrEqual(58 + 3);
    expect(events).toBeLessThanOrEqual(60);
  });
});

describe('the SLA pinned at entry (time-skipping server)', () => {
  it('a worker on a changed policy plans and re-plans an incident from the SLA pinned at entry, not from the policy in force now', async () => {
    // The policy in force changes after entry: every SPE target shrinks to minutes.
    const changed = policyWithSubscribers([['ops', receiver.url, ['*']]], (doc) => {
      doc.plans.SPE.targets = { sev1: '10m', sev2: '15m', sev3: '20m', sev4: '30m' };
    });
    expect(changed.version).not.toBe(policy.version);
    const queue = 'sla-changed-policy';
    const changedWorker = await startWorker(env.nativeConnection, env.namespace ?? 'default', changed, {
      providers: testProviders(),
      taskQueue: queue,
    });
    try {
      const enteredAt = await env.currentTimeMs();
      // Pinned under the policy of entry: SPE Sev 3 is 4 h, Sev 1 is 1 h (24x7).
      const input = incidentInput(policy, { planId: 'SPE', severity: 3, enteredAt });
      expect(input.pinned.policyVersion).toBe(policy.version);
      const handle = await start(input, queue);
      const first = await planned(handle);
      expect(first.ihr).toMatchObject({ targetMs: 4 * HOUR, dueAt: new Date(enteredAt + 4 * HOUR).toISOString() });
      const reclassified = await handle.executeUpdate(reclassifyUpdate, {
        args: [{ severity: 1, reason: 'production down', actor: 'agent' }],
      });
      expect(reclassified).toMatchObject({
        severity: 1,
        targetMs: HOUR,
        dueAt: new Date(enteredAt + HOUR).toISOString(),
      });
      const status = await handle.query(incidentStatusQuery);
      expect(status.policyVersion).toBe(policy.version);
      await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor: 'agent' }] });
      await completed(handle);
    } finally {
      await changedWorker.stop();
    }
  });

  it.each([
    ['at the due instant exactly', 'met', 0],
    ['1 ms after the due instant', 'breached', 1],
  ])('a response %s is %s (recorded after the breach fired)', async (_what, outcome, afterMs) => {
    const enteredAt = await env.currentTimeMs();
    const handle = await start(incidentInput(policy, { planId: 'SPE', severity: 3, enteredAt }));
    const dueMs = Date.parse((await planned(handle)).ihr!.dueAt);
    expect(dueMs).toBe(enteredAt + 4 * HOUR);
    // Recorded later with the instant the response was given (an integration replaying a ticket).
    await skipTo(env, dueMs - MIN);
    const respondedAt = new Date(dueMs + afterMs).toISOString();
    await skipTo(env, dueMs + MIN);
    const result = await handle.executeUpdate(recordResponseUpdate, {
      args: [{ kind: 'solution', responder: 'agent', respondedAt }],
    });
    expect(result).toMatchObject({ ihr: true, outcome, respondedAt, dueAt: new Date(dueMs).toISOString() });
    expect((await handle.query(incidentStatusQuery)).state).toBe(outcome);
    await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor: 'agent' }] });
    await completed(handle);
  });
});
