/**
 * Scale: N open incidents waiting on their timers (SP2, business-hours targets of hours) on one dev server
 * and one worker. The worker runs as a child process (scripts/drill-worker.ts: the real worker module and
 * activities, same bundle), so its resident set size (VmRSS from /proc) is the worker's alone; the API
 * and this driver run in this process. Reports: worker RSS before and after, history events per incident
 * for full lifecycles (open, ladder steps, response, resolve; `handle.fetchHistory()`), and the time to list
 * (GET /v1/incidents) and report (GET /v1/reports/ihr) over the N incidents.
 * Run: node scripts/ts-run.js bench/scale.ts [--n 1000] [--c 16] [--json summary.json]
 * (issue 7's reference: --n 10000; expect ~10 min of intake on a 2-core machine)
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { temporal } from '@temporalio/proto';
import { incidentWorkflowId } from '../libs/contracts/src';
import { startWebhookReceiver } from '../test/support/webhook-receiver';
import {
  BENCH_HOOK_SECRET,
  BenchStack,
  createAccount,
  fmtMB,
  fmtMs,
  incidentBody,
  parseArgs,
  pool,
  sleep,
  startBenchStack,
  subscriber,
  SummaryRow,
  table,
  verdict,
  writeSummary,
  runBench,
} from './load-stack';

const args = parseArgs({ n: 1000, c: 16, json: '' });

async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(500);
  }
}

async function median(times: number, fn: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push(await fn());
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** One full lifecycle: open, wait for the ladder, respond, resolve; returns the history length. */
async function lifecycle(
  stack: BenchStack,
  accountId: string,
  contact: string,
  severity: 1 | 2 | 3 | 4,
  waitForStep: string | undefined,
  deliveredSteps: (id: string) => string[],
) {
  const opened = await stack.http(
    'POST',
    '/v1/incidents',
    incidentBody(accountId, contact, severity, { summary: `lifecycle Sev ${severity}` }),
    { as: 'agent' },
  );
  if (opened.status !== 201) throw new Error(`lifecycle open: ${opened.status} ${JSON.stringify(opened.body)}`);
  const id: string = opened.body.incidentId;
  if (waitForStep) await until(async () => deliveredSteps(id).includes(waitForStep), 60_000, `${waitForStep} of ${id}`);
  const responded = await stack.http(
    'POST',
    `/v1/incidents/${id}/responses`,
    { kind: 'solution', responder: 'bench@vendor.example' },
    { as: 'agent' },
  );
  if (responded.status !== 200)
    throw new Error(`lifecycle response: ${responded.status} ${JSON.stringify(responded.body)}`);
  const resolved = await stack.http('POST', `/v1/incidents/${id}/resolve`, { summary: 'done' }, { as: 'agent' });
  if (resolved.status !== 200)
    throw new Error(`lifecycle resolve: ${resolved.status} ${JSON.stringify(resolved.body)}`);
  const handle = stack.client.workflow.getHandle(incidentWorkflowId(id));
  await handle.result();
  const history = await handle.fetchHistory();
  const types: Record<string, number> = {};
  for (const e of history.events ?? []) {
    const name = String(temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? e.eventType).replace(/^EVENT_TYPE_/, '');
    types[name] = (types[name] ?? 0) + 1;
  }
  return { id, events: history.events?.length ?? 0, steps: deliveredSteps(id), types };
}

async function main() {
  const t0 = performance.now();
  const { n, c } = args;
  const receiver = await startWebhookReceiver(BENCH_HOOK_SECRET);
  const stack = await startBenchStack({
    worker: 'child',
    policy: (doc) => {
      // Lifecycle incidents (SPE) see their ladder within seconds; the N waiting ones (SP2) keep the default hours.
      doc.plans.SPE.targets = { sev1: '8s', sev2: '10s', sev3: '12s', sev4: '60s' };
      // Level 2 within seconds of the breach, so the longest ladder (Sev 2) runs to its end here.
      for (const step of doc.escalation.ladder) if (step.id === 'level2') step.at = { afterBreach: '4s' };
      doc.subscribers = [subscriber('bench', receiver.url)];
    },
  });
  const worker = stack.workers[0];
  try {
    const run = randomBytes(4).toString('hex');
    const rssStart = worker.rss();
    const lifeAccount = `bench-life-${run}`;
    const lifeContact = await createAccount(stack, lifeAccount, 'SPE');
    const accountId = `bench-scale-${run}`;
    const contact = await createAccount(stack, accountId, 'SP2');
    const stepsOf = (id: string) => [
      ...new Set(
        receiver
          .deliveries()
          .filter((d) => d.body?.data?.incidentId === id)
          .map((d) => d.body.data.step as string),
      ),
    ];

    // Lifecycles run while the N incidents are being opened.
    const lifecycles = Promise.all([
      lifecycle(stack, lifeAccount, lifeContact, 3, 'breach', stepsOf), // warn, at-risk, breach, late response, resolve
      lifecycle(stack, lifeAccount, lifeContact, 1, 'breach', stepsOf), // critical open + warn, at-risk, breach; level 2 stopped by the response
      lifecycle(stack, lifeAccount, lifeContact, 4, undefined, stepsOf), // met at once, resolve
      lifecycle(stack, lifeAccount, lifeContact, 2, 'level2', stepsOf), // the whole ladder: warn, at-risk, breach, level 2, late response, resolve
    ]);
    let errors = 0;
    const intakeMs = await pool(n, c, async (i) => {
      const r = await stack.http(
        'POST',
        '/v1/incidents',
        incidentBody(accountId, contact, i % 2 === 0 ? 3 : 4, { summary: `scale ${i}` }),
        {
          as: 'agent',
          headers: { 'Idempotency-Key': `scale-${run}-${i}` },
        },
      );
      if (r.status !== 201) errors++;
    });
    const opened = n - errors;
    const tPlanned = performance.now();
    const planned = `WorkflowType = "incidentWorkflow" AND SlaAccountId = "${accountId}" AND SlaIhrDueAt >= "2000-01-01T00:00:00Z"`;
    await until(
      async () => (await stack.client.workflow.count(planned)).count >= opened || undefined,
      300_000,
      'every incident planned (visibility)',
    );
    const catchUpMs = performance.now() - tPlanned;
    const life = await lifecycles;
    await sleep(2_000);
    const rssEnd = worker.rss();

    const firstPage = await median(5, async () => {
      const r = await stack.http('GET', `/v1/incidents?account=${accountId}&pageSize=100`, undefined, { as: 'agent' });
      if (r.status !== 200 || r.body.items.length !== Math.min(100, opened))
        throw new Error(`list: ${r.status} ${r.body?.items?.length}`);
      return r.ms;
    });
    const filtered = await median(5, async () => {
      const r = await stack.http(
        'GET',
        `/v1/incidents?account=${accountId}&state=pending&severity=3&pageSize=50`,
        undefined,
        { as: 'agent' },
      );
      if (r.status !== 200) throw new Error(`filtered list: ${r.status}`);
      return r.ms;
    });
    const tAll = performance.now();
    let listed = 0;
    let pages = 0;
    let token: string | undefined;
    do {
      const r = await stack.http(
        'GET',
        `/v1/incidents?account=${accountId}&pageSize=100${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`,
        undefined,
        { as: 'agent' },
      );
      if (r.status !== 200) throw new Error(`paging: ${r.status} ${JSON.stringify(r.body)}`);
      listed += r.body.items.length;
      pages++;
      token = r.body.nextPageToken;
    } while (token);
    const allMs = performance.now() - tAll;
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 90 * 86_400_000).toISOString();
    let reportTotal = 0;
    const reportMs = await median(3, async () => {
      const r = await stack.http(
        'GET',
        `/v1/reports/ihr?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&groupBy=plan`,
        undefined,
        { as: 'agent', timeoutMs: 120_000 },
      );
      if (r.status !== 200) throw new Error(`report: ${r.status} ${JSON.stringify(r.body)}`);
      reportTotal = r.body.totals.total;
      return r.ms;
    });

    const maxEvents = Math.max(...life.map((l) => l.events));
    console.log(
      `scale: ${opened} open incidents (SP2 Sev 3/4, waiting on business-hours timers) on one dev server (in-memory) and one worker (child process); ` +
        `node ${process.version}; load average ${loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')}`,
    );
    console.log(
      table(
        ['measure', 'value'],
        [
          [
            'intake (API, C=' + c + ')',
            `${opened} in ${(intakeMs / 1000).toFixed(1)} s (${((opened / intakeMs) * 1000).toFixed(1)}/s), ${errors} errors`,
          ],
          ['worker caught up (all planned, visibility) after intake', `${(catchUpMs / 1000).toFixed(1)} s`],
          ['worker RSS at start', fmtMB(rssStart)],
          [`worker RSS with ${opened} open incidents`, fmtMB(rssEnd)],
          ...life.map((l, i) => [
            `history events, lifecycle ${['SPE Sev 3 breached', 'SPE Sev 1 critical+breached', 'SPE Sev 4 met', 'SPE Sev 2 breached + level 2'][i]} (steps: ${l.steps.join(', ') || 'none'})`,
            String(l.events),
          ]),
          ['GET /v1/incidents?account&pageSize=100 (first page, median of 5)', `${fmtMs(firstPage)} ms`],
          ['GET /v1/incidents?account&state&severity&pageSize=50 (median of 5)', `${fmtMs(filtered)} ms`],
          [`list all via pages of 100 (${pages} pages, ${listed} items)`, `${fmtMs(allMs)} ms`],
          [`GET /v1/reports/ihr over ${reportTotal} incidents (median of 3)`, `${fmtMs(reportMs)} ms`],
        ],
      ),
    );
    const biggest = life.find((l) => l.events === maxEvents)!;
    console.log(
      `  largest lifecycle history by event type: ${Object.entries(biggest.types)
        .sort((a, b) => b[1] - a[1])
        .map(([t, k]) => `${t} ${k}`)
        .join(', ')}`,
    );
    const historyOk = maxEvents <= 60;
    const listOk = listed === opened;
    console.log(
      `targets: history events per full lifecycle ${maxEvents} <= 60: ${verdict(historyOk)}; listed ${listed} of ${opened}: ${verdict(listOk)}  => ${verdict(historyOk && listOk && errors === 0)}`,
    );
    console.log(`(total ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const summary: SummaryRow[] = [
      {
        bench: 'scale',
        metric: `worker RSS (child) at start / with ${opened} open`,
        value: `${fmtMB(rssStart)} / ${fmtMB(rssEnd)}`,
      },
      {
        bench: 'scale',
        metric: `history events per full lifecycle (max of ${life.length})`,
        value: `${maxEvents} (${life.map((l) => l.events).join(', ')})`,
        target: '<= 60',
        pass: historyOk,
      },
      {
        bench: 'scale',
        metric: 'list first page (100) / all pages',
        value: `${fmtMs(firstPage)} ms / ${fmtMs(allMs)} ms (${pages} pages)`,
        target: `all ${opened} listed`,
        pass: listOk,
      },
      { bench: 'scale', metric: `IHR report over ${reportTotal}`, value: `${fmtMs(reportMs)} ms` },
    ];
    writeSummary(args.json, summary);
  } finally {
    await stack.teardown();
    await receiver.close();
  }
}

runBench(main);
