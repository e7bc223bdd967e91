/**
 * Load benchmark of the HTTP API on one dev server with one worker (both in this process with the API, as
 * test/support/stack.ts does; TEMPORAL_ADDRESS targets an existing cluster instead of a dev server):
 * opens N incidents through `POST /v1/incidents` at concurrency C, records a response on half of them
 * while a probe reads incidents at a fixed rate (the GET latency at that load), then reads each incident
 * at concurrency C (GET throughput), and compares intake with a baseline measured in the same run on the
 * same server: bare `client.workflow.start` of a trivial workflow (bench/load-baseline.workflows.ts, own
 * task queue and worker).
 * Run: node scripts/ts-run.js bench/load.ts [--n 300] [--c 16] [--json summary.json]
 * (issue 7's reference load: --n 2000 --c 32)
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import {
  BenchStack,
  createAccount,
  fmtMs,
  fmtNum,
  incidentBody,
  parseArgs,
  pool,
  quietBundlerLogger,
  startBenchStack,
  stats,
  Stats,
  SummaryRow,
  table,
  verdict,
  writeSummary,
  runBench,
} from './load-stack';

const BASELINE_QUEUE = 'bench-baseline';
// --split: the worker and the API each in a child process, as deployed (default: all in this process).
const args = parseArgs({ n: 300, c: 16, warmup: 20, json: '', split: false, probeMs: 50 });

interface Phase {
  name: string;
  stats: Stats;
  statuses: Record<number, number>;
  /** GETs answered from describe() because no worker answered the query in time. */
  degraded?: number;
}

/** Interval of the GET probe (20 reads a second, an operator dashboard's worth) while intake and responses run. */
const PROBE_INTERVAL_MS = args.probeMs;

/**
 * Open-loop reads while a closed-loop phase runs: one GET of `path()` every PROBE_INTERVAL_MS, whatever
 * the load. Its latency is what a reader sees at that load; the closed-loop GET phase below instead
 * measures how many reads a second the stack serves (its latency is C / throughput by construction).
 */
function startProbe(stack: BenchStack, path: () => string | undefined) {
  const samples: number[] = [];
  const statuses: Record<number, number> = {};
  let degraded = 0;
  let errors = 0;
  const inflight = new Set<Promise<void>>();
  const t0 = performance.now();
  const timer = setInterval(() => {
    const target = path();
    if (!target) return;
    const read = stack.http('GET', target, undefined, { as: 'agent' }).then(
      (r) => {
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status !== 200) errors++;
        else if (r.body?.degraded) degraded++;
        else samples.push(r.ms);
      },
      () => {
        statuses[0] = (statuses[0] ?? 0) + 1;
        errors++;
      },
    );
    inflight.add(read);
    void read.then(() => inflight.delete(read));
  }, PROBE_INTERVAL_MS);
  return async (name: string): Promise<Phase> => {
    clearInterval(timer);
    await Promise.all([...inflight]);
    return { name, stats: stats(samples, performance.now() - t0, errors + degraded), statuses, degraded };
  };
}

/** Runs `n` calls at concurrency `c`; a call returns its HTTP status (or 0 for a thrown error) and its latency. */
async function phase(name: string, n: number, c: number, call: (i: number) => Promise<{ status: number; ms: number }>, ok: (status: number) => boolean): Promise<Phase> {
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
  return { name, stats: stats(samples, wall, errors), statuses };
}

async function main() {
  const t0 = performance.now();
  const { n, c, warmup } = args;
  const stack: BenchStack = await startBenchStack(args.split ? { worker: 'child', api: 'child' } : {});
  const baselineConnection = await NativeConnection.connect({ address: stack.address });
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./load-baseline.workflows'), logger: quietBundlerLogger });
  const baselineWorker = await Worker.create({ connection: baselineConnection, namespace: stack.namespace, taskQueue: BASELINE_QUEUE, workflowBundle: { code } });
  const baselineRun = baselineWorker.run();
  const run = randomBytes(4).toString('hex');
  try {
    const contact = await createAccount(stack, `bench-load-${run}`, 'SP2');
    const accountId = `bench-load-${run}`;
    const start = (i: number, tag: string) => async () => {
      const t = performance.now();
      await stack.client.workflow.start('benchNoopWorkflow', { taskQueue: BASELINE_QUEUE, workflowId: `bench-noop/${run}/${tag}/${i}`, args: [i] });
      return { status: 201, ms: performance.now() - t };
    };
    const open = (i: number, tag: string) => () =>
      stack.http('POST', '/v1/incidents', incidentBody(accountId, contact, 3, { summary: `load ${tag} ${i}` }), { as: 'agent', headers: { 'Idempotency-Key': `load-${run}-${tag}-${i}` } });

    // Warm-up (excluded): connections, JIT, workflow caches.
    await phase('warm-up start', warmup, Math.min(c, warmup), (i) => start(i, 'warm')(), () => true);
    await phase('warm-up intake', warmup, Math.min(c, warmup), (i) => open(i, 'warm')(), () => true);

    const baseline = await phase('client.workflow.start (baseline)', n, c, (i) => start(i, 'base')(), (s) => s === 201);
    const ids: string[] = [];
    let probed = 0;
    // The probe reads the warm-up incidents until this run's first ones exist, then cycles over them.
    const warmIds = (await stack.http('GET', `/v1/incidents?account=${accountId}&pageSize=20`, undefined, { as: 'agent' })).body.items.map((x: { incidentId: string }) => x.incidentId);
    const probe = startProbe(stack, () => `/v1/incidents/${ids.length ? ids[probed++ % ids.length] : warmIds[probed++ % warmIds.length]}`);
    // The floor: an endpoint that makes no Temporal call, read the same way in the same process.
    const floorProbe = startProbe(stack, () => '/health/live');
    const intake = await phase('POST /v1/incidents', n, c, async (i) => {
      const r = await open(i, 'main')();
      if (r.status === 201) ids.push(r.body.incidentId);
      return r;
    }, (s) => s === 201);
    const half = ids.filter((_, i) => i % 2 === 0);
    const respond = await phase('POST /v1/incidents/:id/responses', half.length, c, (i) =>
      stack.http('POST', `/v1/incidents/${half[i]}/responses`, { kind: 'solution', responder: 'bench@vendor.example' }, { as: 'agent' }), (s) => s === 200);
    const probeUnderLoad = await probe(`GET /v1/incidents/:id (probe ${1000 / PROBE_INTERVAL_MS}/s under intake + responses)`);
    const floorUnderLoad = await floorProbe(`GET /health/live (same probe: no Temporal call)`);
    let degradedGets = 0;
    const get = await phase(`GET /v1/incidents/:id (closed loop, C=${c})`, ids.length, c, async (i) => {
      const r = await stack.http('GET', `/v1/incidents/${ids[i]}`, undefined, { as: 'agent' });
      if (r.status === 200 && r.body?.degraded) degradedGets++;
      return { status: r.status === 200 && r.body?.degraded ? -1 : r.status, ms: r.ms };
    }, (s) => s === 200);
    get.degraded = degradedGets;

    const phases = [baseline, intake, respond, probeUnderLoad, floorUnderLoad, get];
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
    const head = ['endpoint', 'ok', 'errors', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'req/s vs baseline', 'p50 vs baseline'];
    console.log(`load benchmark: N=${n} C=${c}, one dev server (${process.env.TEMPORAL_ADDRESS ? `external ${stack.address}` : 'in-memory'}), worker and API in this process; node ${process.version}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    console.log(table(head, rows));
    for (const p of phases) {
      const other = Object.entries(p.statuses).filter(([s]) => !['200', '201', '-1'].includes(s));
      if (other.length) console.log(`  ${p.name}: non-2xx statuses ${other.map(([s, k]) => `${s === '0' ? 'network error' : s}×${k}`).join(', ')}`);
      if (p.degraded) console.log(`  ${p.name}: ${p.degraded} answered degraded (no worker answered the query in time; counted as errors)`);
    }
    const ratio = intake.stats.perSec / baseline.stats.perSec;
    const intakeOk = ratio >= 0.7 && intake.stats.errors === 0;
    const getOk = probeUnderLoad.stats.p99 < 50 && probeUnderLoad.stats.errors === 0;
    console.log(
      `targets: intake ${intake.stats.perSec.toFixed(1)}/s = ${ratio.toFixed(2)}x bare start >= 0.7x: ${verdict(intakeOk)}; ` +
        `GET p99 under load ${fmtMs(probeUnderLoad.stats.p99)} ms < 50 ms: ${verdict(getOk)}  => ${verdict(intakeOk && getOk)}`,
    );
    console.log(`(total ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const summary: SummaryRow[] = [
      { bench: 'load', metric: `baseline workflow.start (N=${n}, C=${c})`, value: `${baseline.stats.perSec.toFixed(1)}/s, p99 ${fmtMs(baseline.stats.p99)} ms` },
      { bench: 'load', metric: 'POST /v1/incidents throughput', value: `${intake.stats.perSec.toFixed(1)}/s (${ratio.toFixed(2)}x baseline)`, target: '>= 0.7x baseline', pass: intakeOk },
      { bench: 'load', metric: 'POST /v1/incidents p50/p99', value: `${fmtMs(intake.stats.p50)} / ${fmtMs(intake.stats.p99)} ms` },
      { bench: 'load', metric: `GET /v1/incidents/:id p99 under load (probe ${1000 / PROBE_INTERVAL_MS}/s)`, value: `${fmtMs(probeUnderLoad.stats.p99)} ms (p50 ${fmtMs(probeUnderLoad.stats.p50)}, ${probeUnderLoad.stats.n} reads, ${probeUnderLoad.degraded} degraded)`, target: '< 50 ms', pass: getOk },
      { bench: 'load', metric: 'GET /health/live p99 under the same load (floor)', value: `${fmtMs(floorUnderLoad.stats.p99)} ms (p50 ${fmtMs(floorUnderLoad.stats.p50)})` },
      { bench: 'load', metric: `GET /v1/incidents/:id closed loop C=${c}`, value: `${get.stats.perSec.toFixed(1)}/s, p50/p99 ${fmtMs(get.stats.p50)} / ${fmtMs(get.stats.p99)} ms, ${get.degraded} degraded` },
      { bench: 'load', metric: 'POST responses p50/p99', value: `${fmtMs(respond.stats.p50)} / ${fmtMs(respond.stats.p99)} ms`, target: 'no errors', pass: respond.stats.errors === 0 },
    ];
    writeSummary(args.json, summary);
  } finally {
    baselineWorker.shutdown();
    await baselineRun;
    await baselineConnection.close();
    await stack.teardown();
  }
}

runBench(main);
