import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import {
  publicationAtIntake,
  IncidentWorkflowInput,
  incidentStatusQuery,
  priorityChangedSignal,
  reclassifyUpdate,
  recordResponseUpdate,
  REQUEST_FINGERPRINT,
  resolveUpdate,
  TASK_QUEUE,
} from '../../libs/contracts/src';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv, startWorker, workflowBundle } from '../support/temporal';
import { startWebhookReceiver } from '../support/webhook-receiver';
import { HOOK_SECRET, incidentInput, policyWithSubscribers, skipTo, testProviders } from '../workflows/helpers';

export const HISTORIES_DIR = join(__dirname, '..', 'histories');
const MIN = 60_000;
const HOUR = 3_600_000;

/**
 * Writes the history of one recorded run to `file` unless it exists (stored histories stand for
 * workflows started by earlier versions and are never overwritten): `start` starts the workflow,
 * `script` drives it; the run is awaited to its close before the history is fetched.
 */
export async function recordRun(
  file: string,
  written: string[],
  start: () => Promise<WorkflowHandle>,
  script: (handle: WorkflowHandle) => Promise<void>,
): Promise<void> {
  if (existsSync(file)) return;
  const handle = await start();
  await script(handle);
  // Not `handle.result()`: it unlocks time skipping and the idle test server leaps years ahead.
  for (let i = 0; i < 200 && (await handle.describe()).status.name === 'RUNNING'; i++)
    await new Promise((r) => setTimeout(r, 20));
  writeFileSync(file, `${toJson(await handle.fetchHistory())}\n`);
  written.push(file);
}

/** A time-skipping server with a worker whose policy sends every event to a signing receiver. */
export async function startRecordingEnv() {
  const receiver = await startWebhookReceiver(HOOK_SECRET);
  const policy = policyWithSubscribers([['ops', receiver.url, ['*']]]);
  const env = await createTimeSkippingEnv();
  const worker = await startWorker(env.nativeConnection, env.namespace ?? 'default', policy, {
    providers: testProviders(),
  });
  return { receiver, policy, env, worker };
}

/**
 * Records representative incident runs on the time-skipping server into `dir` (default
 * test/histories/) as incident-<scenario>.json. A file that exists is never overwritten: stored
 * histories stand for incidents started by earlier versions, which must keep replaying. Record the
 * scenarios missing from test/histories/ (after an intended, versioned change) with
 *   RECORD_HISTORIES=1 npx jest --selectProjects integration --runInBand test/replay/incident
 * or all of them into an empty folder to compare; RECORD_SCENARIOS=a,b (scenario names, e.g.
 * request-instants-late-met) records only those. All scenarios use 24x7 plans so they hold whatever
 * day they are recorded. Returns the files written.
 */
export async function recordHistories(dir = HISTORIES_DIR): Promise<string[]> {
  const { receiver, policy, env, worker } = await startRecordingEnv();
  // A second worker whose policy adds a receiver that fails each event's first attempt (`flaky`, on
  // ihr.warning) and one that always fails (`down`, on ihr.at_risk): the durable fallback's two outcomes.
  const flaky = await startFlakyReceiver();
  const faultyPolicy = policyWithSubscribers([
    ['ops', receiver.url, ['*']],
    ['flaky', flaky.url, ['ihr.warning']],
    ['down', flaky.downUrl, ['ihr.at_risk']],
  ]);
  const faultyWorker = await startWorker(env.nativeConnection, env.namespace ?? 'default', faultyPolicy, {
    providers: testProviders(),
    taskQueue: FAULTY_QUEUE,
  });
  // A worker whose policy has no subscriber and no SMTP: every step reaches nobody (undeliverable).
  const bareWorker = await startWorker(env.nativeConnection, env.namespace ?? 'default', policyWithSubscribers([]), {
    providers: testProviders(),
    taskQueue: BARE_QUEUE,
  });
  const written: string[] = [];
  const only = process.env.RECORD_SCENARIOS?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  try {
    type Script = (h: WorkflowHandleWithFirstExecutionRunId, entered: number) => Promise<void>;
    const run = async (name: string, input: IncidentWorkflowInput, script: Script, taskQueue = TASK_QUEUE) => {
      if (only?.length && !only.includes(name)) return;
      input.intake.incidentId = `INC-REPLAY-${name.toUpperCase()}`;
      let started: WorkflowHandleWithFirstExecutionRunId | undefined;
      const start = async () => {
        const handle = await env.client.workflow.start('incidentWorkflow', {
          taskQueue,
          workflowId: `incident/${input.intake.incidentId}`,
          args: [input],
          // Started as the API starts incidents when the clock was planned at intake (its memo included).
          memo: {
            intakeHash: 'recorded',
            ...(input.initialClock
              ? publicationAtIntake(input).memo
              : { summary: input.intake.summary, enteredAt: input.intake.enteredAt }),
          },
        });
        for (let i = 0; i < 100 && !(await handle.query(incidentStatusQuery)).ihr; i++)
          await new Promise((r) => setTimeout(r, 20));
        return (started = handle);
      };
      await recordRun(join(dir, `incident-${name}.json`), written, start, () =>
        script(started!, Date.parse(input.intake.enteredAt)),
      );
      if (started) await recordEarlierRuns(name, started);
    };
    /**
     * Continued as new: the earlier runs too (each ends with its continue-as-new), as
     * incident-<scenario>-run<n>.json.
     */
    const recordEarlierRuns = async (name: string, handle: WorkflowHandle) => {
      const earlier: string[] = [];
      const continuedFrom = (h: temporal.api.history.v1.IHistory) =>
        h.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      let before = continuedFrom(await handle.fetchHistory());
      while (before) {
        const history = await env.client.workflow.getHandle(handle.workflowId, before).fetchHistory();
        earlier.unshift(toJson(history));
        before = continuedFrom(history);
      }
      earlier.forEach((text, i) => {
        const runFile = join(dir, `incident-${name}-run${i + 1}.json`);
        writeFileSync(runFile, `${text}\n`);
        written.push(runFile);
      });
    };
    const now = async () => env.currentTimeMs();
    const resolve = (h: WorkflowHandle) =>
      h.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor: 'agent' }] });
    /**
     * Until every fired step's delivery settled (queries do not skip time; real time moves the test server's clock).
     */
    const settled = async (h: WorkflowHandle, steps: number) => {
      for (let i = 0; i < 200; i++) {
        const { ladder } = await h.query(incidentStatusQuery);
        if (ladder.fired.length >= steps && ladder.fired.every((f) => f.delivery !== 'in-flight')) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('deliveries did not settle');
    };

    // Full lifecycle, met: warn and at-risk fire, a response at 90 % stops the ladder, resolve.
    await run(
      'met',
      incidentInput(policy, { planId: 'SPE', severity: 3, enteredAt: await now() }),
      async (h, entered) => {
        await skipTo(env, entered + 0.9 * 4 * HOUR);
        await h.executeUpdate(recordResponseUpdate, {
          args: [
            { kind: 'solution', responder: 'agent', respondedAt: new Date(entered + 0.9 * 4 * HOUR).toISOString() },
          ],
        });
        await h.signal(priorityChangedSignal, { priority: 1, actor: 'customer' });
        await skipTo(env, entered + 5 * HOUR);
        await resolve(h);
      },
    );

    // Breached with level 2: SPE Sev 2 (critical open is Sev 1 only), the whole ladder, a late response.
    await run(
      'breached-level2',
      incidentInput(policy, { planId: 'SPE', severity: 2, enteredAt: await now() }),
      async (h, entered) => {
        await skipTo(env, entered + 3 * HOUR + MIN);
        await h.executeUpdate(recordResponseUpdate, { args: [{ kind: 'information_request', responder: 'agent' }] });
        await resolve(h);
      },
    );

    // Reclassify 4 -> 1 after the new due passed: breach at once, critical open, level 2 later.
    await run(
      'reclassify',
      incidentInput(policy, { planId: 'SPE', severity: 4, enteredAt: await now() }),
      async (h, entered) => {
        await skipTo(env, entered + 3 * HOUR);
        await h.executeUpdate(reclassifyUpdate, { args: [{ severity: 1, reason: 'production down', actor: 'agent' }] });
        await skipTo(env, entered + 4 * HOUR + MIN);
        await resolve(h);
      },
    );

    // The same two lifecycles as the API starts them since the clock is planned at intake (no
    // planning activity, nothing re-published in the first task). The four above are started
    // without a clock, as incidents opened before that change were: both kinds must replay.
    await run(
      'intake-clock-met',
      incidentInput(policy, { planId: 'SPE', severity: 3, enteredAt: await now(), clockAtIntake: true }),
      async (h, entered) => {
        await skipTo(env, entered + 0.9 * 4 * HOUR);
        await h.executeUpdate(recordResponseUpdate, {
          args: [
            { kind: 'solution', responder: 'agent', respondedAt: new Date(entered + 0.9 * 4 * HOUR).toISOString() },
          ],
        });
        await skipTo(env, entered + 5 * HOUR);
        await resolve(h);
      },
    );
    await run(
      'intake-clock-breached-level2',
      incidentInput(policy, { planId: 'SPE', severity: 2, enteredAt: await now(), clockAtIntake: true }),
      async (h, entered) => {
        await skipTo(env, entered + 3 * HOUR + MIN);
        await h.executeUpdate(recordResponseUpdate, { args: [{ kind: 'information_request', responder: 'agent' }] });
        await resolve(h);
      },
    );

    // Local first, durable fallback (patch notify-local-first): the two lifecycles above as incidents
    // opened since then record them (a marker per delivery, the patch marker once).
    const localMet = async (h: WorkflowHandle, entered: number) => {
      await skipTo(env, entered + 0.9 * 4 * HOUR);
      await settled(h, 2);
      await h.executeUpdate(recordResponseUpdate, {
        args: [{ kind: 'solution', responder: 'agent', respondedAt: new Date(entered + 0.9 * 4 * HOUR).toISOString() }],
      });
      await h.signal(priorityChangedSignal, { priority: 1, actor: 'customer' });
      await skipTo(env, entered + 5 * HOUR);
      await resolve(h);
    };
    await run(
      'notify-local-met',
      incidentInput(policy, { planId: 'SPE', severity: 3, enteredAt: await now(), clockAtIntake: true }),
      localMet,
    );
    await run(
      'notify-local-breached-level2',
      incidentInput(policy, { planId: 'SPE', severity: 2, enteredAt: await now(), clockAtIntake: true }),
      async (h, entered) => {
        await skipTo(env, entered + 3 * HOUR + MIN);
        await settled(h, 4);
        await h.executeUpdate(recordResponseUpdate, { args: [{ kind: 'information_request', responder: 'agent' }] });
        await resolve(h);
      },
    );
    // The fallback: warn's local attempt reaches ops but not flaky, the regular activity (attempt 2)
    // delivers to flaky only; at-risk never reaches down: local attempt, then 2 activity attempts, failed.
    await run(
      'notify-fallback',
      incidentInput(faultyPolicy, { planId: 'SPE', severity: 3, enteredAt: await now(), clockAtIntake: true }),
      async (h, entered) => {
        await skipTo(env, entered + 0.9 * 4 * HOUR);
        await settled(h, 2);
        await h.executeUpdate(recordResponseUpdate, { args: [{ kind: 'solution', responder: 'agent' }] });
        await resolve(h);
      },
      FAULTY_QUEUE,
    );

    // The status in the memo (patch status-in-memo): the met lifecycle above, and a reclassification
    // to Sev 1 (clock re-planned and critical open delivered by local activities) with level 2.
    await run(
      'status-memo-met',
      incidentInput(policy, { planId: 'SPE', severity: 3, enteredAt: await now(), clockAtIntake: true }),
      localMet,
    );
    await run(
      'status-memo-reclassify',
      incidentInput(policy, { planId: 'SPE', severity: 4, enteredAt: await now(), clockAtIntake: true }),
      async (h, entered) => {
        await skipTo(env, entered + 3 * HOUR);
        await h.executeUpdate(reclassifyUpdate, { args: [{ severity: 1, reason: 'production down', actor: 'agent' }] });
        await skipTo(env, entered + 4 * HOUR + MIN);
        await settled(h, 5);
        await h.executeUpdate(recordResponseUpdate, { args: [{ kind: 'information_request', responder: 'agent' }] });
        await resolve(h);
      },
    );

    // Deliveries to people (patch notify-channels): the breached lifecycle with level 2 delivered to a
    // subscriber, and the same on a worker no channel reaches (each step recorded undeliverable).
    const channelsBreached = async (h: WorkflowHandle, entered: number) => {
      await skipTo(env, entered + 3 * HOUR + MIN);
      await settled(h, 4);
      await h.executeUpdate(recordResponseUpdate, { args: [{ kind: 'information_request', responder: 'agent' }] });
      await resolve(h);
    };
    await run(
      'channels-breached-level2',
      incidentInput(policy, { planId: 'SPE', severity: 2, enteredAt: await now(), clockAtIntake: true }),
      channelsBreached,
    );
    await run(
      'channels-undeliverable',
      incidentInput(policy, { planId: 'SPE', severity: 2, enteredAt: await now(), clockAtIntake: true }),
      channelsBreached,
      BARE_QUEUE,
    );

    // Bounded history (patch bounded-history): 30 priority changes first (the memo's status carries the
    // last 20 timeline entries and the total), then the met lifecycle.
    const priorityChanges = async (h: WorkflowHandle, count: number) => {
      for (let i = 1; i <= count; i++) {
        await h.signal(priorityChangedSignal, { priority: i % 2 ? 1 : 2, actor: 'customer' });
      }
    };
    const boundedInput = incidentInput(policy, {
      planId: 'SPE',
      severity: 3,
      enteredAt: await now(),
      clockAtIntake: true,
    });
    await run('bounded-met', boundedInput, async (h, entered) => {
      await priorityChanges(h, 30);
      await localMet(h, entered);
    });
    // Continued as new (a run past input.historyLimits.events): 40 priority changes, then the breached
    // lifecycle with level 2, a late response, resolve; the runs continue as new on the way (all stored).
    const continuedInput = incidentInput(policy, {
      planId: 'SPE',
      severity: 2,
      enteredAt: await now(),
      clockAtIntake: true,
    });
    continuedInput.historyLimits = { events: 40 };
    await run('continued', continuedInput, async (h, entered) => {
      await priorityChanges(h, 40);
      const latest = env.client.workflow.getHandle(h.workflowId);
      for (let i = 0; i < 200 && (await latest.describe()).runId === h.firstExecutionRunId; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await channelsBreached(h, entered);
    });

    // incident-notify-local-mixed.json is not recorded here: an incident started by the bundle before
    // the patch (commit 20c890c; warn delivered by the regular activity), its worker stopped, then
    // continued by the current bundle (patch marker at at-risk, local attempts from there on): SPE Sev 2
    // at intake, the whole ladder with level 2, a late response, resolve. Recorded once with both
    // bundles on the time-skipping server (workers without a sticky cache) and kept as it is.

    // Request instants (patch request-instants): commands carry the instant the API received them.
    const receivedAt = (ms: number) => new Date(ms).toISOString();
    // A response received a minute before due reaches the worker only after the breach and level 2 fired:
    // met at its received instant, the breach retracted; a resolution applied after it was received.
    const spe = async (severity: 2 | 3) =>
      incidentInput(policy, { planId: 'SPE', severity, enteredAt: await now(), clockAtIntake: true });
    await run('request-instants-late-met', await spe(2), async (h, entered) => {
      const dueMs = entered + 2 * HOUR;
      await skipTo(env, dueMs + HOUR + MIN);
      await settled(h, 4);
      const response = {
        kind: 'solution' as const,
        responder: 'agent',
        receivedAt: receivedAt(dueMs - MIN),
        recordedByKeyId: 'agent',
      };
      await h.executeUpdate(recordResponseUpdate, { args: [response] });
      const resolution = { summary: 'done', actor: 'agent:agent', receivedAt: receivedAt((await now()) - 5_000) };
      await h.executeUpdate(resolveUpdate, { args: [resolution] });
    });
    // A response dated an hour back (recorded late: memo list and SlaLateResponse), a reclassification and a
    // resolution, each at its received instant.
    await run('request-instants-recorded-late', await spe(3), async (h, entered) => {
      await skipTo(env, entered + 2 * HOUR);
      await settled(h, 1);
      const response = {
        kind: 'solution' as const,
        responder: 'Jane Doe',
        respondedAt: receivedAt(entered + HOUR),
        receivedAt: receivedAt((await now()) - 2_000),
        recordedByKeyId: 'agent',
      };
      await h.executeUpdate(recordResponseUpdate, { args: [response] });
      const at = receivedAt((await now()) - 1_000);
      const change = { severity: 4 as const, reason: 'cosmetic', actor: 'agent:agent', receivedAt: at };
      await h.executeUpdate(reclassifyUpdate, { args: [change] });
      await skipTo(env, entered + 3 * HOUR);
      const resolution = { summary: 'done', actor: 'agent:agent', receivedAt: receivedAt((await now()) - 1_000) };
      await h.executeUpdate(resolveUpdate, { args: [resolution] });
    });

    // Resolved before any IHR.
    await run(
      'resolve-before-ihr',
      incidentInput(policy, { planId: 'SP2', severity: 3, enteredAt: await now() }),
      async (h) => {
        await h.signal(priorityChangedSignal, { priority: 2, actor: 'customer' });
        await resolve(h);
      },
    );

    // Commands as the API sends them since the fingerprint echo (workflows/common/command-fingerprint.ts):
    // each update carries its body's fingerprint and the result echoes it, a microtask later.
    await run(
      'command-fingerprint',
      incidentInput(policy, { planId: 'SPE', severity: 4, enteredAt: await now(), clockAtIntake: true }),
      async (h, entered) => {
        const fingerprinted = <T extends object>(args: T, fingerprint: string) => ({
          ...args,
          [REQUEST_FINGERPRINT]: fingerprint,
        });
        await skipTo(env, entered + 3 * HOUR);
        await h.executeUpdate(reclassifyUpdate, {
          args: [fingerprinted({ severity: 2 as const, reason: 'wider impact', actor: 'agent' }, 'f-severity')],
          updateId: 'severity:f',
        });
        await h.executeUpdate(recordResponseUpdate, {
          args: [fingerprinted({ kind: 'information_request' as const, responder: 'agent' }, 'f-response')],
          updateId: 'response:f',
        });
        await h.executeUpdate(resolveUpdate, {
          args: [fingerprinted({ summary: 'done', actor: 'agent' }, 'f-resolve')],
          updateId: 'resolve:f',
        });
      },
    );
  } finally {
    await worker.stop();
    await faultyWorker.stop();
    await bareWorker.stop();
    await env.teardown();
    await receiver.close();
    await flaky.close();
  }
  return written;
}

const FAULTY_QUEUE = 'sla-replay-faulty-receivers';
const BARE_QUEUE = 'sla-replay-no-channel';

/**
 * `url` answers 500 to the first request of each webhook-id and 204 afterwards; `downUrl` always 500.
 * (No signature check: only the sender's retries matter here.)
 */
async function startFlakyReceiver(): Promise<{ url: string; downUrl: string; close(): Promise<void> }> {
  const seen = new Set<string>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id'] ?? '');
      const fail = req.url === '/down' || !seen.has(id);
      seen.add(id);
      res.statusCode = fail ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/flaky`,
    downUrl: `${base}/down`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * protobufjs object form (enums as names, int64 and bytes as strings), read back with `historyFromFile`.
 * Not `historyToJSON`: with this install's duplicated protobufjs copies (@temporalio/common vs
 * @temporalio/proto) its proto3-JSON conversion fails with "type must be a Type".
 */
function toJson(history: temporal.api.history.v1.IHistory): string {
  const { History } = temporal.api.history.v1;
  const message = History.decode(History.encode(history).finish());
  // Failure stack traces name the recording machine's paths and play no part in replay.
  const withoutStacks = (key: string, value: unknown) => (key === 'stackTrace' ? '' : value);
  return JSON.stringify(History.toObject(message, { enums: String, longs: String, bytes: String }), withoutStacks, 1);
}

/** A stored history as a `History` message for `Worker.runReplayHistory`. */
export function historyFromFile(text: string): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(JSON.parse(text));
}

/** The stored histories whose file names start with `prefix`, sorted by name. */
export function storedHistories(prefix: string): Array<{ file: string; history: temporal.api.history.v1.History }> {
  return readdirSync(HISTORIES_DIR)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, history: historyFromFile(readFileSync(join(HISTORIES_DIR, file), 'utf8')) }));
}

/** Replays stored histories against the current bundle: each file with its error message, or undefined. */
export async function replayOutcomes(
  stored: Array<{ file: string; history: temporal.api.history.v1.History }>,
  replayName: string,
): Promise<Array<[string, string | undefined]>> {
  const results = Worker.runReplayHistories(
    { workflowBundle: workflowBundle(), replayName },
    stored.map(({ file, history }) => ({ workflowId: file, history })),
  );
  const outcomes: Array<[string, string | undefined]> = [];
  for await (const result of results) outcomes.push([result.workflowId, result.error?.message]);
  return outcomes;
}
