/**
 * Load benchmark of the HTTP API on one dev server with one worker (both in this process with the API, as
 * test/support/stack.ts does; --split runs each in a child process; TEMPORAL_ADDRESS targets an existing
 * cluster instead of a dev server). Intake: N `POST /v1/incidents` at concurrency C against a baseline on
 * the same server, bare `client.workflow.start` of a trivial workflow (bench/load-baseline.workflows.ts,
 * own task queue and worker), in alternating halves with nothing else running, plus the CPU each process
 * spent per operation. Then, while a probe reads incidents at a fixed rate (the GET latency at load), a
 * response on half of them and a further intake burst of N/2; the same probe at rest once writes stop
 * (--restMs); then every incident read at concurrency C (GET throughput).
 * Run: node scripts/ts-run.js bench/load.ts [--n 300] [--c 16] [--json summary.json]
 * (issue 7's reference load: --n 2000 --c 32)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { incidentWorkflowId } from '../libs/contracts/src';
import {
  BenchStack,
  createAccount,
  fmtMs,
  fmtNum,
  incidentBody,
  parseArgs,
  pool,
  startBaselineWorker,
  startBenchStack,
  stats,
  Stats,
  SummaryRow,
  table,
  verdict,
  writeSummary,
  runBench,
  REGISTER,
  sleep,
  cpuMeter,
  stackProcesses,
} from './load-stack';

const BASELINE_QUEUE = 'bench-baseline';
// --split: the worker and the API each in a child process, as deployed (default: all in this process).
const args = parseArgs({ n: 300, c: 16, warmup: 20, json: '', split: false, probeMs: 50, restMs: 10_000 });

interface Phase {
  name: string;
  stats: Stats;
  statuses: Record<number, number>;
  /** GETs answered from describe() because no worker answered the query in time. */
  degraded?: number;
  samples?: number[];
  wallMs?: number;
  /** Until the last call answered (wallMs may run on until the work the calls queued is done). */
  callsWallMs?: number;
}

/** Interval of the GET probe (20 reads a second, an operator dashboard's worth) while intake and responses run. */
const PROBE_INTERVAL_MS = args.probeMs;

/**
 * Open-loop reads while a closed-loop phase runs: one GET every PROBE_INTERVAL_MS, whatever the load,
 * from a process of its own (bench/load-probe.ts) so that the load generator's busy event loop is not
 * in its timings. Its latency is what a reader sees at that load; the closed-loop GET phase below
 * instead measures how many reads a second the stack serves (its latency is C / throughput).
 */
async function startProbe(stack: BenchStack, paths: string[]): Promise<(name: string) => Promise<Phase>> {
  const file = join(mkdtempSync(join(tmpdir(), 'sla-probe-')), 'paths.json');
  writeFileSync(file, JSON.stringify(paths));
  const child = spawn(process.execPath, ['-r', REGISTER, require.resolve('./load-probe')], {
    env: {
      ...process.env,
      PROBE_BASE_URL: stack.baseUrl,
      PROBE_TOKEN: stack.keys.token.agent,
      PROBE_INTERVAL_MS: String(PROBE_INTERVAL_MS),
      PROBE_PATHS: file,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  while (!out.startsWith('READY\n')) {
    if (child.exitCode !== null) throw new Error('probe exited before it was ready');
    await sleep(20);
  }
  return async (name: string): Promise<Phase> => {
    child.stdin!.end();
    await exited;
    const result = JSON.parse(out.slice('READY\n'.length)) as {
      samples: number[];
      statuses: Record<number, number>;
      degraded: number;
      errors: number;
      wallMs: number;
    };
    return {
      name,
      stats: stats(result.samples, result.wallMs, result.errors + result.degraded),
      statuses: result.statuses,
      degraded: result.degraded,
    };
  };
}

/** Runs `n` calls at concurrency `c`; a call returns its HTTP status (or 0 for a thrown error) and its latency. */
async function phase(
  name: string,
  n: number,
  c: number,
  call: (i: number) => Promise<{ status: number; ms: number }>,
  ok: (status: number) => boolean,
): Promise<Phase> {
  const samples: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  const wall = await pool(n, c, async (i) => {
    let result: { status: number; ms: number };
    try {
      result = await call(i);
    } catch {
      result = { status: 0, ms: NaN };
    }
    statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    if (ok(result.status)) samples.push(result.ms);
    else errors++;
  });
  return { name, stats: stats(samples, wall, errors), statuses, samples, wallMs: wall };
}

/** Both halves of an alternating measurement as one phase: samples pooled, wall times added. */
function merged(name: string, parts: Phase[]): Phase {
  const samples = parts.flatMap((p) => p.samples ?? []);
  const wall = parts.reduce((sum, p) => sum + (p.wallMs ?? 0), 0);
  const statuses: Record<number, number> = {};
  for (const p of parts)
    for (const [s, k] of Object.entries(p.statuses)) statuses[Number(s)] = (statuses[Number(s)] ?? 0) + k;
  const callsWall = parts.reduce((sum, p) => sum + (p.callsWallMs ?? p.wallMs ?? 0), 0);
  return {
    name,
    stats: stats(
      samples,
      wall,
      parts.reduce((sum, p) => sum + p.stats.errors, 0),
    ),
    statuses,
    samples,
    wallMs: wall,
    callsWallMs: callsWall,
  };
}

/** A typed-client call as the phases count it: its status and round-trip time. */
async function timedCall(call: () => Promise<{ response: Response }>): Promise<{ status: number; ms: number }> {
  const t = performance.now();
  const { response } = await call();
  return { status: response.status, ms: performance.now() - t };
}

async function main() {
  const t0 = performance.now();
  const { n, c, warmup } = args;
  const stack: BenchStack = await startBenchStack(args.split ? { worker: 'child', api: 'child' } : {});
  const baseline = await startBaselineWorker(stack, BASELINE_QUEUE);
  const run = randomBytes(4).toString('hex');
  const processes = stackProcesses(stack);
  try {
    const contact = await createAccount(stack, `bench-load-${run}`, 'SP2');
    const accountId = `bench-load-${run}`;
    const startIds: string[] = [];
    const start = (i: number, tag: string) => async () => {
      const t = performance.now();
      const workflowId = `bench-noop/${run}/${tag}/${i}`;
      await stack.client.workflow.start('benchNoopWorkflow', { taskQueue: BASELINE_QUEUE, workflowId, args: [i] });
      startIds.push(workflowId);
      return { status: 201, ms: performance.now() - t };
    };
    const ids: string[] = [];
    // Calls go through the typed client, as an integrator's would (libs/client).
    const agent = stack.sla('agent');
    const open = (i: number, tag: string) => async () => {
      const t = performance.now();
      const { data, response } = await agent.POST('/v1/incidents', {
        params: { header: { 'Idempotency-Key': `load-${run}-${tag}-${i}` } },
        body: incidentBody(accountId, contact, 3, { summary: `load ${tag} ${i}` }),
      });
      if (response.status === 201 && data) ids.push(data.incidentId);
      return { status: response.status, ms: performance.now() - t };
    };
    // Until the last workflow started ran its first task: the trivial one then completes; an incident's
    // history then holds a completed workflow task (event 4), polled every 20 ms.
    const settled = async (what: 'baseline' | 'incidents' = 'incidents') => {
      if (what === 'baseline')
        return void (await stack.client.workflow.getHandle(startIds[startIds.length - 1]).result());
      const last = stack.client.workflow.getHandle(incidentWorkflowId(ids[ids.length - 1]));
      while ((await last.describe()).historyLength < 4) await sleep(20);
    };

    // Warm-up (excluded): connections, JIT, workflow caches.
    await phase(
      'warm-up start',
      warmup,
      Math.min(c, warmup),
      (i) => start(i, 'warm')(),
      () => true,
    );
    await phase(
      'warm-up intake',
      warmup,
      Math.min(c, warmup),
      (i) => open(i, 'warm')(),
      () => true,
    );
    await settled('baseline');
    await settled();

    // Intake against the baseline: nothing else runs meanwhile, and the halves alternate (A B A B) so that
    // what drifts over the run (the server's tables grow, the machine's other load) falls on both.
    const halves = [Math.ceil(n / 2), Math.floor(n / 2)];
    const baselineParts: Phase[] = [];
    const intakeParts: Phase[] = [];
    const cpu = { baseline: {} as Record<string, number>, intake: {} as Record<string, number> };
    // A half lasts until its last workflow ran its first task: work a worker defers is not free.
    const measured = async (
      name: 'baseline' | 'incidents',
      size: number,
      call: (i: number) => Promise<{ status: number; ms: number }>,
      ok: (s: number) => boolean,
      into: Record<string, number>,
    ) => {
      const meter = cpuMeter(processes);
      const t = performance.now();
      const part = await phase(name, size, c, call, ok);
      part.callsWallMs = part.wallMs;
      await settled(name);
      part.wallMs = performance.now() - t;
      for (const [k, v] of Object.entries(meter())) into[k] = (into[k] ?? 0) + v;
      return part;
    };
    for (const [h, size] of halves.entries()) {
      baselineParts.push(
        await measured(
          'baseline',
          size,
          (i) => start(h * n + i, 'base')(),
          (s) => s === 201,
          cpu.baseline,
        ),
      );
      intakeParts.push(
        await measured(
          'incidents',
          size,
          (i) => open(h * n + i, 'main')(),
          (s) => s === 201,
          cpu.intake,
        ),
      );
    }
    const baseline = merged('client.workflow.start (baseline)', baselineParts);
    const intake = merged('POST /v1/incidents', intakeParts);

    // GET latency at load: a fixed-rate probe while responses, then a further intake burst, run.
    const probe = await startProbe(
      stack,
      ids.map((id) => `/v1/incidents/${id}`),
    );
    // The floor: an endpoint that makes no Temporal call, read the same way.
    const floorProbe = await startProbe(stack, ['/health/live']);
    const half = ids.filter((_, i) => i % 2 === 0);
    const respond = await phase(
      'POST /v1/incidents/:id/responses',
      half.length,
      c,
      (i) =>
        timedCall(() =>
          agent.POST('/v1/incidents/{id}/responses', {
            params: { path: { id: half[i] } },
            body: { kind: 'solution', responder: 'bench@vendor.example' },
          }),
        ),
      (s) => s === 200,
    );
    const burst = await phase(
      `POST /v1/incidents (burst of ${halves[1]} under the probe)`,
      halves[1],
      c,
      (i) => open(i, 'burst')(),
      (s) => s === 201,
    );
    const probeUnderLoad = await probe(
      `GET /v1/incidents/:id (probe ${1000 / PROBE_INTERVAL_MS}/s under responses + intake)`,
    );
    const floorUnderLoad = await floorProbe(`GET /health/live (same probe: no Temporal call)`);
    await settled();
    // The same probe once the writes stopped: read latency with all incidents open and the stack idle.
    const restProbe = await startProbe(
      stack,
      ids.map((id) => `/v1/incidents/${id}`),
    );
    await sleep(args.restMs);
    const probeAtRest = await restProbe(
      `GET /v1/incidents/:id (probe ${1000 / PROBE_INTERVAL_MS}/s at rest, ${fmtNum(ids.length)} open)`,
    );
    let degradedGets = 0;
    const get = await phase(
      `GET /v1/incidents/:id (closed loop, C=${c})`,
      ids.length,
      c,
      async (i) => {
        const t = performance.now();
        const { data, response } = await agent.GET('/v1/incidents/{id}', { params: { path: { id: ids[i] } } });
        const ms = performance.now() - t;
        const degraded = response.status === 200 && data !== undefined && 'degraded' in data;
        if (degraded) degradedGets++;
        return { status: degraded ? -1 : response.status, ms };
      },
      (s) => s === 200,
    );
    get.degraded = degradedGets;

    const phases = [baseline, intake, respond, burst, probeUnderLoad, floorUnderLoad, probeAtRest, get];
    const rows = phases.map((p) => [
      p.name,
      fmtNum(p.stats.n),
      fmtNum(p.stats.errors),
      p.stats.perSec.toFixed(1),
      fmtMs(p.stats.p50),
      fmtMs(p.stats.p95),
      fmtMs(p.stats.p99),
      fmtMs(p.stats.max),
      p === baseline ? '1.00x' : `${(p.stats.perSec / baseline.stats.perSec).toFixed(2)}x`,
      p === baseline ? '1.00x' : `${(p.stats.p50 / baseline.stats.p50).toFixed(1)}x`,
    ]);
    const head = [
      'endpoint',
      'ok',
      'errors',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'req/s vs baseline',
      'p50 vs baseline',
    ];
    console.log(
      `load benchmark: N=${n} C=${c}, one dev server (${process.env.TEMPORAL_ADDRESS ? `external ${stack.address}` : 'in-memory'}), ${args.split ? 'worker and API in child processes' : 'worker and API in this process'}; node ${process.version}; load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    console.log(table(head, rows));
    console.log(
      '(baseline and POST /v1/incidents: alternating halves, each timed until its last workflow ran its first task)',
    );
    for (const p of phases) {
      const other = Object.entries(p.statuses).filter(([s]) => !['200', '201', '-1'].includes(s));
      if (other.length)
        console.log(
          `  ${p.name}: non-2xx statuses ${other.map(([s, k]) => `${s === '0' ? 'network error' : s}×${k}`).join(', ')}`,
        );
      if (p.degraded)
        console.log(
          `  ${p.name}: ${p.degraded} answered degraded (no worker answered the query in time; counted as errors)`,
        );
    }
    // CPU per operation and process over the measured halves (each until its first tasks ran).
    const perOp = (used: Record<string, number>, ops: number) =>
      Object.fromEntries(Object.entries(used).map(([k, v]) => [k, v / ops]));
    const cpuBase = perOp(cpu.baseline, baseline.stats.n);
    const cpuIntake = perOp(cpu.intake, intake.stats.n);
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    const cpuNames = [...new Set([...Object.keys(cpuBase), ...Object.keys(cpuIntake)])];
    if (cpuNames.length) {
      const fmtCpu = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(2));
      console.log(
        `CPU per operation (ms; /proc, 10 ms ticks) while the measured halves ran, ${loadavg()[0].toFixed(1)} load average at the end:`,
      );
      console.log(
        table(
          ['process', 'per bare start', 'per POST /v1/incidents', 'ratio'],
          [
            ...cpuNames.map((k) => [
              k,
              fmtCpu(cpuBase[k]),
              fmtCpu(cpuIntake[k]),
              cpuBase[k] ? `${(cpuIntake[k] / cpuBase[k]).toFixed(1)}x` : '-',
            ]),
            ['all', fmtCpu(sum(cpuBase)), fmtCpu(sum(cpuIntake)), `${(sum(cpuIntake) / sum(cpuBase)).toFixed(1)}x`],
          ],
        ),
      );
    }
    const ratio = intake.stats.perSec / baseline.stats.perSec;
    // The same halves counted to the last answer only: the baseline's worker may still be behind then.
    const callsPerSec = (p: Phase) => (p.stats.n / p.callsWallMs!) * 1000;
    const callsRatio = callsPerSec(intake) / callsPerSec(baseline);
    console.log(
      `intake to the last answer only (work still queued not counted): ${callsPerSec(intake).toFixed(1)}/s vs ${callsPerSec(baseline).toFixed(1)}/s bare starts = ${callsRatio.toFixed(2)}x`,
    );
    const intakeOk = ratio >= 0.7 && intake.stats.errors === 0;
    const getOk = probeUnderLoad.stats.p99 < 50 && probeUnderLoad.stats.errors === 0;
    console.log(
      `targets: intake ${intake.stats.perSec.toFixed(1)}/s = ${ratio.toFixed(2)}x bare start >= 0.7x: ${verdict(intakeOk)}; ` +
        `GET p99 under load ${fmtMs(probeUnderLoad.stats.p99)} ms < 50 ms: ${verdict(getOk)}  => ${verdict(intakeOk && getOk)}`,
    );
    console.log(`(total ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const summary: SummaryRow[] = [
      {
        bench: 'load',
        metric: `baseline workflow.start (N=${n}, C=${c})`,
        value: `${baseline.stats.perSec.toFixed(1)}/s, p99 ${fmtMs(baseline.stats.p99)} ms`,
      },
      {
        bench: 'load',
        metric: 'POST /v1/incidents throughput (halves end when first tasks ran)',
        value: `${intake.stats.perSec.toFixed(1)}/s (${ratio.toFixed(2)}x baseline)`,
        target: '>= 0.7x baseline',
        pass: intakeOk,
      },
      {
        bench: 'load',
        metric: 'POST /v1/incidents to the last answer only',
        value: `${callsPerSec(intake).toFixed(1)}/s (${callsRatio.toFixed(2)}x baseline)`,
      },
      {
        bench: 'load',
        metric: 'POST /v1/incidents p50/p99',
        value: `${fmtMs(intake.stats.p50)} / ${fmtMs(intake.stats.p99)} ms`,
      },
      ...(cpuNames.length
        ? [
            {
              bench: 'load',
              metric: 'CPU per incident / per bare start (all processes)',
              value: `${sum(cpuIntake).toFixed(1)} / ${sum(cpuBase).toFixed(1)} ms (${(sum(cpuIntake) / sum(cpuBase)).toFixed(1)}x)`,
            },
          ]
        : []),
      {
        bench: 'load',
        metric: `GET /v1/incidents/:id p99 under load (probe ${1000 / PROBE_INTERVAL_MS}/s)`,
        value: `${fmtMs(probeUnderLoad.stats.p99)} ms (p50 ${fmtMs(probeUnderLoad.stats.p50)}, ${probeUnderLoad.stats.n} reads, ${probeUnderLoad.degraded} degraded)`,
        target: '< 50 ms',
        pass: getOk,
      },
      {
        bench: 'load',
        metric: 'GET /v1/incidents/:id p99 at rest (same probe, writes stopped)',
        value: `${fmtMs(probeAtRest.stats.p99)} ms (p50 ${fmtMs(probeAtRest.stats.p50)}, ${probeAtRest.stats.n} reads, ${probeAtRest.degraded} degraded)`,
      },
      {
        bench: 'load',
        metric: 'GET /health/live p99 under the same load (floor)',
        value: `${fmtMs(floorUnderLoad.stats.p99)} ms (p50 ${fmtMs(floorUnderLoad.stats.p50)})`,
      },
      {
        bench: 'load',
        metric: `GET /v1/incidents/:id closed loop C=${c}`,
        value: `${get.stats.perSec.toFixed(1)}/s, p50/p99 ${fmtMs(get.stats.p50)} / ${fmtMs(get.stats.p99)} ms, ${get.degraded} degraded`,
      },
      {
        bench: 'load',
        metric: 'POST responses p50/p99',
        value: `${fmtMs(respond.stats.p50)} / ${fmtMs(respond.stats.p99)} ms`,
        target: 'no errors',
        pass: respond.stats.errors === 0,
      },
    ];
    writeSummary(args.json, summary);
  } finally {
    await baseline.stop();
    await stack.teardown();
  }
}

runBench(main);
