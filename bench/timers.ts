/**
 * Timer accuracy on the dev server: N incidents on a bench policy where SPE Sev 3 is a 30 s target under
 * 24x7 coverage, entered 3-12 s in the past, so the ladder (warn 50 %, at-risk 75 %, breach 100 %) falls due
 * 3-27 s after the incidents are opened. A local webhook receiver (Standard Webhooks signatures verified)
 * records every delivery; lateness = receipt time - the step instant (`data.stepAt` in the payload).
 * Early = received before its instant, or the payload's fire time (`timestamp`, workflow time) before it.
 * Run: node scripts/ts-run.js bench/timers.ts [--n 60] [--c 8] [--json summary.json]
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { startWebhookReceiver } from '../test/support/webhook-receiver';
import {
  BENCH_HOOK_SECRET,
  createAccount,
  fmtMs,
  incidentBody,
  parseArgs,
  pool,
  sleep,
  startBenchStack,
  stats,
  subscriber,
  SummaryRow,
  table,
  verdict,
  writeSummary,
  runBench,
} from './load-stack';

const args = parseArgs({ n: 60, c: 8, json: '' });
const STEPS = ['warn', 'at_risk', 'breach'];

async function main() {
  const t0 = performance.now();
  const receiver = await startWebhookReceiver(BENCH_HOOK_SECRET);
  const stack = await startBenchStack({
    policy: (doc) => {
      doc.plans.SPE.targets = { sev1: '20s', sev2: '40s', sev3: '30s', sev4: '60s' };
      doc.subscribers = [subscriber('bench', receiver.url)];
    },
  });
  try {
    const run = randomBytes(4).toString('hex');
    const accountId = `bench-timers-${run}`;
    const contact = await createAccount(stack, accountId, 'SPE');
    const ids: string[] = [];
    let openErrors = 0;
    await pool(args.n, args.c, async (i) => {
      const backdateMs = 3_000 + ((i * 7919) % 9_000); // deterministic spread over 3-12 s
      const r = await stack.http(
        'POST',
        '/v1/incidents',
        incidentBody(accountId, contact, 3, { enteredAt: Date.now() - backdateMs, summary: `timers ${i}` }),
        {
          as: 'agent',
          headers: { 'Idempotency-Key': `timers-${run}-${i}` },
        },
      );
      if (r.status === 201) ids.push(r.body.incidentId);
      else openErrors++;
    });
    const expected = ids.length * STEPS.length;
    const mine = new Set(ids);
    const firstDeliveries = () => {
      const seen = new Map<string, (typeof receiver.received)[number]>();
      for (const d of receiver.deliveries())
        if (mine.has(d.body?.data?.incidentId) && !seen.has(d.id)) seen.set(d.id, d);
      return [...seen.values()];
    };
    const deadline = Date.now() + 60_000;
    while (firstDeliveries().length < expected && Date.now() < deadline) await sleep(250);
    await sleep(1_000); // late duplicates, if any
    const firsts = firstDeliveries();
    const lateness = firsts.map((d) => d.receivedAt - Date.parse(d.body.data.stepAt));
    const earlyReceived = lateness.filter((ms) => ms < 0).length;
    const earlyFired = firsts.filter((d) => Date.parse(d.body.timestamp) < Date.parse(d.body.data.stepAt)).length;
    const duplicates = receiver.deliveries().filter((d) => mine.has(d.body?.data?.incidentId)).length - firsts.length;
    const unexpected = firsts.filter((d) => !STEPS.includes(d.body.data.step)).length;
    const unverified = receiver.received.filter((r) => !r.verified).length;
    const s = stats(lateness, 1);
    const byStep = STEPS.map((step) => {
      const l = firsts
        .filter((d) => d.body.data.step === step)
        .map((d) => d.receivedAt - Date.parse(d.body.data.stepAt));
      const st = stats(l, 1);
      return [
        step,
        String(st.n),
        fmtMs(st.p50),
        fmtMs(st.p95),
        fmtMs(st.p99),
        fmtMs(st.max),
        String(l.filter((x) => x < 0).length),
      ];
    });
    console.log(
      `timer accuracy: ${ids.length} incidents (SPE Sev 3, 30 s target 24x7, entered 3-12 s back), ${expected} ladder steps due 3-27 s ahead; ` +
        `dev server in-memory, worker in-process; node ${process.version}; load average ${loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')}`,
    );
    console.log(
      table(
        ['step', 'delivered', 'lateness p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'early'],
        [
          ...byStep,
          ['all', String(s.n), fmtMs(s.p50), fmtMs(s.p95), fmtMs(s.p99), fmtMs(s.max), String(earlyReceived)],
        ],
      ),
    );
    const missing = expected - firsts.length;
    console.log(
      `  missing ${missing}, duplicate deliveries (same webhook-id) ${duplicates}, unexpected steps ${unexpected}, fired early (workflow time) ${earlyFired}, unverified ${unverified}, open errors ${openErrors}`,
    );
    const earlyOk = earlyReceived === 0 && earlyFired === 0;
    const p99Ok = s.p99 < 1_000;
    const completeOk = missing === 0 && openErrors === 0;
    console.log(
      `targets: fired early ${earlyReceived + earlyFired} = 0: ${verdict(earlyOk)}; lateness p99 ${fmtMs(s.p99)} ms < 1000 ms: ${verdict(p99Ok)}; all ${expected} steps delivered: ${verdict(completeOk)}  => ${verdict(earlyOk && p99Ok && completeOk)}`,
    );
    console.log(`(total ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const summary: SummaryRow[] = [
      {
        bench: 'timers',
        metric: `step lateness p50/p99 (${firsts.length} steps)`,
        value: `${fmtMs(s.p50)} / ${fmtMs(s.p99)} ms (max ${fmtMs(s.max)})`,
        target: 'p99 < 1000 ms',
        pass: p99Ok,
      },
      {
        bench: 'timers',
        metric: 'steps fired early',
        value: String(earlyReceived + earlyFired),
        target: '0',
        pass: earlyOk,
      },
      {
        bench: 'timers',
        metric: 'steps missing / duplicated',
        value: `${missing} / ${duplicates}`,
        target: '0 missing',
        pass: completeOk,
      },
    ];
    writeSummary(args.json, summary);
  } finally {
    await stack.teardown();
    await receiver.close();
  }
}

runBench(main);
