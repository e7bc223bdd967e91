/**
 * History growth under many changes (issue 14, item 7), through the real API on a dev server: one incident
 * takes `--changes` priority changes (POST /v1/incidents/:id/priority, alternating 1 and 2) and one account
 * `--pairs` contact registrations + removals. Per block of 1,000 operations (accounts: per `--accountBlock`)
 * it prints the current run's history events and bytes (describe(): historyLength, historySizeBytes), the run
 * number (continue-as-new) and the p99 of the API's GET of the same record, sampled every 10 operations.
 * Flat figures = bounded history. The incident's ladder (SPE Sev 3, 24x7, target `--targetS` s) falls due
 * during the run: each fired step's lateness (firedAt - at) is printed and must stay small.
 * Run: node scripts/ts-run.js bench/history-growth.ts [--changes 5000] [--pairs 500] [--c 4] [--json out.json]
 */
import { randomBytes } from 'node:crypto';
import {
  createAccount,
  fmtMs,
  fmtNum,
  incidentBody,
  parseArgs,
  pool,
  runBench,
  sleep,
  startBenchStack,
  stats,
  SummaryRow,
  table,
  verdict,
  writeSummary,
} from './load-stack';

const args = parseArgs({ changes: 5000, pairs: 500, c: 4, block: 1000, accountBlock: 200, targetS: 150, json: '' });

interface Block {
  ops: number;
  events: number;
  bytes: number;
  run: number;
  getP99: number;
  opP50: number;
}

async function main() {
  const stack = await startBenchStack({
    policy: (doc) => (doc.plans.SPE.targets = { ...doc.plans.SPE.targets, sev3: `${args.targetS}s` }),
  });
  try {
    const run = randomBytes(4).toString('hex');
    const accountId = `bench-growth-${run}`;
    const contact = await createAccount(stack, accountId, 'SPE');
    const opened = await stack.http(
      'POST',
      '/v1/incidents',
      incidentBody(accountId, contact, 3, { summary: 'history growth' }),
      { as: 'agent' },
    );
    if (opened.status !== 201) throw new Error(`open: ${opened.status} ${JSON.stringify(opened.body)}`);
    const incidentId: string = opened.body.incidentId;
    const incident = stack.client.workflow.getHandle(`incident/${incidentId}`);
    const account = stack.client.workflow.getHandle(`account/${accountId}`);
    const runsOf = new Map<string, Map<string, number>>();
    const sizeOf = async (handle: typeof incident) => {
      const d = await handle.describe();
      const runs = runsOf.get(handle.workflowId) ?? new Map<string, number>();
      runsOf.set(handle.workflowId, runs);
      if (!runs.has(d.runId)) runs.set(d.runId, runs.size + 1);
      return {
        events: d.historyLength,
        bytes: Number(d.raw.workflowExecutionInfo?.historySizeBytes ?? 0),
        run: runs.get(d.runId)!,
      };
    };

    // ---- incident: priority changes
    const incidentBlocks: Block[] = [];
    /** Answers other than 202 to a priority change (each retried), by status. */
    const refused = new Map<number, number>();
    const t0 = performance.now();
    for (let from = 0; from < args.changes; from += args.block) {
      const n = Math.min(args.block, args.changes - from);
      const gets: number[] = [];
      const ops: number[] = [];
      await pool(n, args.c, async (i) => {
        const k = from + i;
        const change = () =>
          stack.http('POST', `/v1/incidents/${incidentId}/priority`, { priority: k % 2 ? 1 : 2 }, { as: 'agent' });
        let r = await change();
        // A refusal is counted and retried once (a 5xx around a continue-as-new is retryable).
        for (let attempt = 0; r.status !== 202 && attempt < 3; attempt++) {
          refused.set(r.status, (refused.get(r.status) ?? 0) + 1);
          await sleep(200);
          r = await change();
        }
        if (r.status !== 202) throw new Error(`priority change ${k}: ${r.status} ${JSON.stringify(r.body)}`);
        ops.push(r.ms);
        if (k % 10 === 0)
          gets.push((await stack.http('GET', `/v1/incidents/${incidentId}`, undefined, { as: 'agent' })).ms);
      });
      await sleep(500);
      const size = await sizeOf(incident);
      incidentBlocks.push({ ops: from + n, ...size, getP99: stats(gets, 1).p99, opP50: stats(ops, 1).p50 });
      console.log(`incident: ${from + n} changes, run ${size.run}, ${size.events} events, ${fmtNum(size.bytes)} B`);
    }
    const incidentSeconds = (performance.now() - t0) / 1000;

    // ---- account: contact registrations and removals
    const accountBlocks: Block[] = [];
    const pairsPerBlock = args.accountBlock / 2;
    for (let from = 0; from < args.pairs; from += pairsPerBlock) {
      const n = Math.min(pairsPerBlock, args.pairs - from);
      const gets: number[] = [];
      const ops: number[] = [];
      for (let i = from; i < from + n; i++) {
        const id = `C-G-${i}`;
        const added = await stack.http('POST', `/v1/accounts/${accountId}/contacts`, {
          contactId: id,
          name: 'G',
          email: `g${i}@growth.example`,
        });
        const removed = await stack.http('DELETE', `/v1/accounts/${accountId}/contacts/${id}`);
        if (added.status !== 201 || removed.status !== 200)
          throw new Error(`contact pair ${i}: ${added.status}/${removed.status}`);
        ops.push(added.ms, removed.ms);
        if (i % 5 === 0) gets.push((await stack.http('GET', `/v1/accounts/${accountId}`)).ms);
      }
      const size = await sizeOf(account);
      accountBlocks.push({ ops: 2 * (from + n), ...size, getP99: stats(gets, 1).p99, opP50: stats(ops, 1).p50 });
    }

    // ---- the ladder: every step due by now fired at its instant
    const dueAt = Date.parse(
      (await stack.http('GET', `/v1/incidents/${incidentId}`, undefined, { as: 'agent' })).body.ihr.dueAt,
    );
    while (Date.now() < dueAt + 5_000) await sleep(1_000);
    const status = (await stack.http('GET', `/v1/incidents/${incidentId}`, undefined, { as: 'agent' })).body;
    const lateness = status.ladder.fired.map((f: { id: string; at: string; firedAt: string }) => ({
      id: f.id,
      ms: Date.parse(f.firedAt) - Date.parse(f.at),
    }));
    // The whole timeline, page by page (it spans the runs): every entry once, the first the opening.
    const entries: Array<{ type: string }> = [];
    let total = 0;
    for (let token: string | undefined = '0'; token !== undefined;) {
      const page: { entries: Array<{ type: string }>; total: number; nextPageToken?: string } = (
        await stack.http('GET', `/v1/incidents/${incidentId}/timeline?pageSize=1000&pageToken=${token}`, undefined, {
          as: 'agent',
        })
      ).body;
      entries.push(...page.entries);
      total = page.total;
      token = page.nextPageToken;
    }
    const priorityNoted = entries.filter((e) => e.type === 'priority.changed').length;
    const timeline = {
      total,
      complete: entries.length === total && entries[0]?.type === 'opened' && total === status.timelineTotal,
    };
    const changes = (await stack.http('GET', `/v1/accounts/${accountId}/changes?pageSize=1`)).body;

    const rowsOf = (blocks: Block[]) =>
      blocks.map((b) => [
        fmtNum(b.ops),
        String(b.run),
        fmtNum(b.events),
        fmtNum(b.bytes),
        fmtMs(b.getP99),
        fmtMs(b.opP50),
      ]);
    const head = ['operations', 'run', 'history events', 'history bytes', 'GET p99 ms', 'op p50 ms'];
    console.log(
      `\nincident: ${args.changes} priority changes in ${incidentSeconds.toFixed(0)} s (current run's history)\n`,
    );
    console.log(table(head, rowsOf(incidentBlocks)));
    console.log(`\naccount: ${args.pairs} contact add/remove pairs (current run's history)\n`);
    console.log(table(head, rowsOf(accountBlocks)));
    const late = lateness.map((l: { id: string; ms: number }) => `${l.id} +${l.ms} ms`).join(', ');
    console.log(`\nladder (SPE Sev 3, ${args.targetS} s target): ${late}`);
    console.log(
      `timeline: ${timeline.total} entries, ${priorityNoted} priority changes noted (concurrent changes that ` +
        `repeat the priority in force are ignored), memo shows ${status.timeline.length}; ` +
        `account change log: ${changes.total} entries`,
    );

    const refusals = [...refused].map(([code, count]) => `${count} × ${code}`).join(', ') || 'none';
    console.log(`priority changes answered other than 202 (then retried): ${refusals}`);
    const maxBytes = Math.max(...incidentBlocks.map((b) => b.bytes));
    const maxLate = Math.max(0, ...lateness.map((l: { ms: number }) => l.ms));
    const ladderFired = lateness.length >= 3;
    const rows: SummaryRow[] = [
      {
        bench: 'history-growth',
        metric: 'incident run history, max bytes',
        value: fmtNum(maxBytes),
        target: '< 8 MB',
        pass: maxBytes < 8 * 1048576,
      },
      {
        bench: 'history-growth',
        metric: 'incident runs (continue-as-new)',
        value: String(incidentBlocks.at(-1)!.run),
        target: '',
      },
      {
        bench: 'history-growth',
        metric: 'ladder steps fired, max lateness ms',
        value: `${lateness.length}, ${maxLate}`,
        target: '>= 3, < 5000',
        pass: ladderFired && maxLate < 5000,
      },
      {
        bench: 'history-growth',
        metric: 'timeline paged whole across runs',
        value: String(timeline.total),
        target: 'all pages = total',
        pass: timeline.complete,
      },
      {
        bench: 'history-growth',
        metric: 'account change-log entries kept',
        value: String(changes.total),
        target: `>= ${2 * args.pairs}`,
        pass: changes.total >= 2 * args.pairs,
      },
    ];
    console.log(
      `\n${table(
        ['metric', 'value', 'target', 'verdict'],
        rows.map((r) => [r.metric, r.value, r.target ?? '', r.pass === undefined ? '' : verdict(r.pass)]),
      )}`,
    );
    writeSummary(args.json, rows);
    if (rows.some((r) => r.pass === false)) process.exitCode = 1;
  } finally {
    await stack.teardown();
  }
}

runBench(main);
