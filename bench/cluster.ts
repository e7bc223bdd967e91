/**
 * Scale on the cluster: N incidents through the API on a Temporal cluster on PostgreSQL (its own, from
 * libs/devstack/src/cluster.ts, unless TEMPORAL_ADDRESS names one), spread over every plan and support
 * center, severities 1-4 and entry instants over the last 30 days (the API takes entries up to 30 days
 * back); of the first --follow, a third get a response and a fifth are resolved (closed). Then: the IHR
 * report's time per groupBy, the first page of GET /v1/incidents?state=..., intake rate against bare
 * client.workflow.start of a trivial workflow on the same cluster, and RSS of the worker, the API and each
 * cluster process.
 * Run: node scripts/ts-run.js bench/cluster.ts [--n 2000] [--c 16] [--baseline 500] [--follow 2000]
 * [--checkpoint 0] [--pause-worker] [--json summary.json]
 * Targets (issue 17, at --n 100000): report < 2 s, first page < 200 ms.
 */
import { randomBytes } from 'node:crypto';
import { rssOf, startTemporaryCluster } from '../libs/devstack/src/cluster';
import type { HttpResult } from '../test/support/http';
import {
  createAccount,
  fmtMB,
  fmtMs,
  incidentBody,
  parseArgs,
  pool,
  startBaselineWorker,
  runBench,
  sleep,
  startBenchStack,
  SummaryRow,
  table,
  verdict,
  writeSummary,
} from './load-stack';

// --follow: follow-ups (responses, resolves) on the first F incidents only; they wait on the worker, so at large N they
// would take longer than the intake.
// --checkpoint: every K incidents of the intake, one report (groupBy plan) and one first page are timed, so the run
// shows how they move with the size; 0 turns it off.
// --pause-worker: the worker is stopped (SIGSTOP) while the reports and lists are timed, as on a cluster whose workers
// run on other machines; on this 2-core machine a worker still working through the intake's backlog otherwise shares
// the cores with the API, Temporal and PostgreSQL, and the figures measure that contention rather than the report.
const args = parseArgs({ n: 2000, c: 16, baseline: 500, follow: 2000, checkpoint: 0, pauseWorker: false, json: '' });
const DAY = 86400_000;
const BASELINE_QUEUE = 'bench-cluster-baseline';
const MAX_INTAKE_ATTEMPTS = 3;

// A failed request is printed and timed as Infinity (a FAIL), not thrown: the intake before it is too dear to lose.
const failed = (e: unknown): HttpResult => ({ status: 0, headers: new Headers(), body: { error: String(e) }, ms: NaN });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const value = await fn();
  return [value, performance.now() - t];
}

async function main() {
  const { n, c } = args;
  const own = process.env.TEMPORAL_ADDRESS ? undefined : await timed(() => startTemporaryCluster());
  if (own) console.log(`cluster up in ${(own[1] / 1000).toFixed(1)} s`);
  const stack = await startBenchStack({ worker: 'child', api: 'child' });
  const pauseWorker = (signal: NodeJS.Signals) => {
    if (!args.pauseWorker) return;
    for (const worker of stack.workers) worker.process.kill(signal); // false, not a throw, when it is gone
  };
  const baseline = await startBaselineWorker(stack, BASELINE_QUEUE);
  const run = randomBytes(4).toString('hex');
  try {
    // One account per plan and center, so every group of the report has members.
    const accounts: Array<{ id: string; contact: string }> = [];
    for (const plan of stack.policy.planIds()) {
      for (const center of stack.policy.centerIds()) {
        const id = `bench-${run}-${plan}-${center}`.toLowerCase();
        accounts.push({ id, contact: await createAccount(stack, id, plan, center) });
      }
    }

    // Baseline: bare starts of a trivial workflow, the same concurrency, to the last answer.
    const baselineMs = await pool(args.baseline, c, async (i) => {
      await stack.client.workflow.start('benchNoopWorkflow', {
        taskQueue: BASELINE_QUEUE,
        workflowId: `bench-noop/${run}/${i}`,
        args: [i],
      });
    });
    const baselineRate = (args.baseline / baselineMs) * 1000;

    const now = Date.now();
    const from = new Date(now - 31 * DAY).toISOString();
    const reportPath = (groupBy: string) =>
      `/v1/reports/ihr?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.now() + 7 * DAY).toISOString())}&groupBy=${groupBy}`;
    const ids: string[] = new Array(n);
    let errors = 0;
    let retried = 0;
    let done = 0;
    const checkpoints: string[][] = [];
    const intakeStart = performance.now();
    // A checkpoint runs inside the intake, so its figures carry the intake's load: they show the trend, the
    // figures after the intake are the measurement.
    const checkpoint = async (at: number) => {
      const [report, reportMs] = await timed(() =>
        stack.http('GET', reportPath('plan'), undefined, { as: 'agent', timeoutMs: 120_000 }).catch(failed),
      );
      const [, pageMs] = await timed(() =>
        stack.http('GET', '/v1/incidents?state=pending', undefined, { as: 'agent' }).catch(failed),
      );
      const rate = (at / (performance.now() - intakeStart)) * 1000;
      const line = [
        String(at),
        rate.toFixed(1),
        fmtMs(reportMs),
        fmtMs(pageMs),
        String(report?.body?.totals?.pending ?? '?'),
      ];
      checkpoints.push(line);
      console.log(
        `checkpoint ${at}: ${rate.toFixed(1)}/s so far, report ${fmtMs(reportMs)} ms, first page ${fmtMs(pageMs)} ms`,
      );
    };
    const intakeMs = await pool(n, c, async (i) => {
      // One lost request must not cost a 100,000-incident run: every failure is counted, the first few printed.
      try {
        await intakeOne(i);
      } catch (e) {
        if (++errors <= 3) console.error(`POST ${i}: ${(e as Error).message}`);
      }
      done++;
      if (args.checkpoint > 0 && done % args.checkpoint === 0) await checkpoint(done);
    });
    async function intakeOne(i: number) {
      const account = accounts[i % accounts.length];
      // Entries spread over 30 days (deterministic per i); every fourth within the last hour (mostly still pending).
      const enteredAt = i % 4 === 0 ? now - ((i * 7919) % 3600_000) : now - 60_000 - ((i * 104_729_003) % (29 * DAY));
      const body = incidentBody(account.id, account.contact, (1 + (i % 4)) as 1 | 2 | 3 | 4, {
        enteredAt,
        summary: `cluster bench ${i}`,
      });
      const headers = { 'Idempotency-Key': `cluster-${run}-${i}` };
      // A 503 is the API's fast answer to a slow Temporal: retried after Retry-After with the same key, as a
      // client does (the first 100,000 run, without retries, lost 17 of them).
      for (let attempt = 1; ; attempt++) {
        const r = await stack.http('POST', '/v1/incidents', body, { as: 'agent', headers });
        if (r.status === 201 || r.status === 200) {
          ids[i] = r.body.incidentId;
          return;
        }
        if (r.status !== 503 || attempt === MAX_INTAKE_ATTEMPTS) {
          if (++errors <= 3) console.error(`POST ${i}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
          return;
        }
        retried++;
        await sleep(1000 * Number(r.headers.get('retry-after') ?? 1));
      }
    }
    const intakeRate = (n / intakeMs) * 1000;
    console.log(
      `intake: ${n} in ${(intakeMs / 1000).toFixed(1)} s = ${intakeRate.toFixed(1)}/s (baseline ${baselineRate.toFixed(1)}/s), ${retried} retried 503s, ${errors} errors`,
    );

    // Follow-ups: a response on every third (met or breached, as the engine decides), a resolve on every fifth.
    let followErrors = 0;
    const followMs = await pool(Math.min(n, args.follow), c, async (i) => {
      const id = ids[i];
      if (!id) return;
      await followUp(i, id).catch(() => followErrors++);
    });
    async function followUp(i: number, id: string) {
      if (i % 3 === 0) {
        const r = await stack.http(
          'POST',
          `/v1/incidents/${id}/responses`,
          { kind: 'information_request' },
          { as: 'agent' },
        );
        if (r.status !== 200) followErrors++;
      }
      if (i % 5 === 0) {
        const r = await stack.http('POST', `/v1/incidents/${id}/resolve`, { summary: 'bench' }, { as: 'agent' });
        if (r.status !== 200) followErrors++;
      }
    }
    console.log(`follow-ups in ${(followMs / 1000).toFixed(1)} s, ${followErrors} errors`);

    pauseWorker('SIGSTOP');
    const mine = `WorkflowType = "incidentWorkflow" AND SlaAccountId IN (${accounts.map((a) => `"${a.id}"`).join(', ')})`;
    await sleep(5_000);
    const visible = (await stack.client.workflow.count(mine)).count;
    const rows: string[][] = [];
    const summary: SummaryRow[] = [];
    let worstReport = 0;
    let report: { totals: unknown; groups: unknown[]; breaches: unknown[]; breachesTruncated?: boolean } | undefined;
    for (const groupBy of ['plan', 'severity', 'center', 'account']) {
      const times: number[] = [];
      for (let k = 0; k < 3; k++) {
        const [r, ms] = await timed(() =>
          stack.http('GET', reportPath(groupBy), undefined, { as: 'agent', timeoutMs: 120_000 }).catch(failed),
        );
        if (r.status !== 200) console.error(`report ${groupBy}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
        else if (groupBy === 'plan') report = r.body;
        times.push(r.status === 200 ? ms : Infinity);
      }
      worstReport = Math.max(worstReport, median(times));
      rows.push([`GET /v1/reports/ihr?groupBy=${groupBy}`, fmtMs(median(times)), fmtMs(Math.max(...times))]);
    }
    let worstPage = 0;
    for (const state of ['pending', 'breached', 'met', 'resolved']) {
      const times: number[] = [];
      for (let k = 0; k < 5; k++) {
        const [r, ms] = await timed(() =>
          stack.http('GET', `/v1/incidents?state=${state}`, undefined, { as: 'agent' }).catch(failed),
        );
        if (r.status !== 200) console.error(`list ${state}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
        times.push(r.status === 200 ? ms : Infinity);
      }
      worstPage = Math.max(worstPage, median(times));
      rows.push([`GET /v1/incidents?state=${state} (first page)`, fmtMs(median(times)), fmtMs(Math.max(...times))]);
    }
    const total = (await stack.client.workflow.count('WorkflowType = "incidentWorkflow"')).count;
    console.log(
      `\ncluster bench: ${n} incidents of this run (${visible} visible at measurement), ${total} incident workflows in the namespace`,
    );
    console.log(
      `report totals (groupBy plan): ${JSON.stringify(report?.totals)}; groups ${report?.groups.length}; breaches listed ${report?.breaches.length}${report?.breachesTruncated ? ' (truncated)' : ''}\n`,
    );
    console.log(table(['request', 'median ms', 'max ms'], rows));
    if (checkpoints.length) {
      const header = ['incidents in', 'intake/s so far', 'report (plan) ms', 'first page ms', 'pending'];
      console.log(`\nduring the intake (under its load):\n${table(header, checkpoints)}`);
    }
    const rss: string[][] = [
      ['worker (child)', fmtMB(stack.workers[0]?.rss())],
      ['api (child)', fmtMB(stack.apiChild?.rss())],
      ...Object.entries(own?.[0].cluster.processes() ?? {}).map(([name, p]) => [name, fmtMB(rssOf(p?.process.pid))]),
    ];
    console.log(`\n${table(['process', 'RSS'], rss)}`);
    pauseWorker('SIGCONT');
    if (args.pauseWorker) console.log('(worker paused while the reports and lists were timed)');
    console.log(
      `\nintake ${intakeRate.toFixed(1)}/s vs bare starts ${baselineRate.toFixed(1)}/s = ${(intakeRate / baselineRate).toFixed(2)}x (C=${c}, to the last answer)`,
    );
    console.log(
      `report < 2 s: ${verdict(worstReport < 2000)} (worst median ${fmtMs(worstReport)} ms); first page < 200 ms: ${verdict(worstPage < 200)} (worst median ${fmtMs(worstPage)} ms)`,
    );
    summary.push(
      {
        bench: 'cluster',
        metric: `IHR report over ${total} incidents (worst groupBy, median)`,
        value: `${fmtMs(worstReport)} ms`,
        target: '< 2000 ms',
        pass: worstReport < 2000,
      },
      {
        bench: 'cluster',
        metric: 'GET /v1/incidents?state= first page (worst state, median)',
        value: `${fmtMs(worstPage)} ms`,
        target: '< 200 ms',
        pass: worstPage < 200,
      },
      {
        bench: 'cluster',
        metric: `intake (N=${n}, C=${c})`,
        value: `${intakeRate.toFixed(1)}/s = ${(intakeRate / baselineRate).toFixed(2)}x bare starts`,
      },
      { bench: 'cluster', metric: 'worker RSS', value: fmtMB(stack.workers[0]?.rss()) },
    );
    writeSummary(args.json || undefined, summary);
  } finally {
    pauseWorker('SIGCONT');
    await baseline.stop();
    await stack.teardown();
    await own?.[0].close();
  }
}

runBench(main);
