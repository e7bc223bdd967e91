/**
 * Benchmark of libs/business-time: addBusinessTime against the minute-walking oracle and moment-business-time,
 * same process, same calendar (Mon-Fri 08:00-17:00, UTC, no holidays), warm caches.
 * Run: node scripts/ts-run.js bench/business-time.ts   (BENCH_BUDGET_MS=... per cell, default 1500)
 */
import moment from 'moment';
import 'moment-business-time';
import { Oracle } from '../libs/business-time/test-support/oracle';
import { DateTime } from 'luxon';
import { CalendarConfig, addBusinessTime, compileCalendar, explain, luxonZone } from '../libs/business-time/src';

const H = 3_600_000;
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 1500);
const config: CalendarConfig = {
  zone: 'UTC',
  weekly: {
    mon: ['08:00-17:00'],
    tue: ['08:00-17:00'],
    wed: ['08:00-17:00'],
    thu: ['08:00-17:00'],
    fri: ['08:00-17:00'],
  },
};
const emeaConfig: CalendarConfig = {
  zone: 'Europe/Helsinki',
  weekly: config.weekly,
  holidays: {
    country: 'FI',
    extra: [
      { rule: 'friday after 06-19', name: 'Midsummer Eve' },
      { rule: '12-24', name: 'Christmas Eve' },
    ],
  },
};
const cal = compileCalendar(config);
const emea = compileCalendar(emeaConfig);
const oracle = new Oracle(config);

moment.updateLocale('en', {
  workinghours: {
    0: null,
    1: ['08:00:00', '17:00:00'],
    2: ['08:00:00', '17:00:00'],
    3: ['08:00:00', '17:00:00'],
    4: ['08:00:00', '17:00:00'],
    5: ['08:00:00', '17:00:00'],
    6: null,
  },
  holidays: [],
} as never);
type MomentBT = moment.Moment & { addWorkingTime(n: number, unit: string): moment.Moment };

// deterministic pseudo-random starts across 2026 (LCG), whole seconds
let seed = 42;
const rnd = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const base = Date.UTC(2026, 0, 1);
const STARTS = Array.from({ length: 4096 }, () => base + Math.floor(rnd() * 365 * 86_400) * 1000);

const SPANS: Array<[string, number]> = [
  ['1 h', H],
  ['4 h', 4 * H],
  ['1 business day (9 h)', 9 * H],
  ['1 week (45 h)', 45 * H],
  ['1 year (2340 h)', 2340 * H],
];

interface Result {
  median: number; // µs per op
  opsPerSec: number;
  n: number;
}

/** Time `fn` in batches sized to ~2 ms (at least one call), until the budget is spent; median of per-op batch means. */
function measure(fn: (start: number) => number, budgetMs: number): Result {
  let sink = 0;
  // calibrate batch size
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) sink += fn(STARTS[i & 4095]);
    const dt = performance.now() - t0;
    if (dt > 2 || batch >= 1 << 16) break;
    batch *= 2;
  }
  const perOp: number[] = [];
  let total = 0;
  let n = 0;
  let k = 0;
  const end = performance.now() + budgetMs;
  while (performance.now() < end || perOp.length < 5) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) sink += fn(STARTS[k++ & 4095]);
    const dt = performance.now() - t0;
    perOp.push((dt * 1000) / batch);
    total += dt;
    n += batch;
    if (perOp.length >= 5 && performance.now() >= end) break;
  }
  if (sink === 0.5) console.log('');
  perOp.sort((a, b) => a - b);
  return { median: perOp[Math.floor(perOp.length / 2)], opsPerSec: (n / total) * 1000, n };
}

function warm(): void {
  // build every day's intervals once (the cache keeps them), as a long-running service would have
  for (const s of STARTS) {
    addBusinessTime(cal, s, 2400 * H);
    addBusinessTime(emea, s, 2400 * H);
  }
}

const fmtUs = (x: number): string => (x < 10 ? x.toFixed(3) : x < 1000 ? x.toFixed(1) : x.toFixed(0));
const fmtOps = (x: number): string => Math.round(x).toLocaleString('en-US');

function main(): void {
  const t0 = performance.now();
  // sanity: the three agree (moment-business-time only where it does not roll closing-time results forward)
  for (const s of STARTS.slice(0, 50)) {
    const ours = addBusinessTime(cal, s, 4 * H);
    const or = oracle.add(s, 4 * H);
    if (ours !== or) throw new Error(`ours ${ours} != oracle ${or} for ${new Date(s).toISOString()}`);
  }
  warm();
  const rows: string[][] = [];
  let fourH: { ours: Result; oracle: Result } | undefined;
  for (const [label, d] of SPANS) {
    const ours = measure((s) => addBusinessTime(cal, s, d), BUDGET_MS);
    const oursEmea = measure((s) => addBusinessTime(emea, s, d), BUDGET_MS / 2);
    const or = measure((s) => oracle.add(s, d), d > 100 * H ? BUDGET_MS * 2 : BUDGET_MS);
    const peer = measure(
      (s) => (moment.utc(s) as MomentBT).addWorkingTime(d / 60_000, 'minutes').valueOf(),
      d > 100 * H ? BUDGET_MS * 2 : BUDGET_MS,
    );
    if (d === 4 * H) fourH = { ours, oracle: or };
    rows.push([
      label,
      fmtOps(ours.opsPerSec),
      fmtUs(ours.median),
      fmtUs(oursEmea.median),
      fmtOps(or.opsPerSec),
      fmtUs(or.median),
      fmtOps(peer.opsPerSec),
      fmtUs(peer.median),
      `${(or.median / ours.median).toFixed(0)}x`,
      `${(peer.median / ours.median).toFixed(0)}x`,
    ]);
  }
  const head = [
    'span',
    'ours ops/s (mean)',
    'ours µs (median)',
    'ours emea µs',
    'oracle ops/s (mean)',
    'oracle µs',
    'moment-bt ops/s (mean)',
    'moment-bt µs',
    'oracle/ours',
    'moment-bt/ours',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(
    `business-time benchmark: addBusinessTime, Mon-Fri 08:00-17:00 UTC (emea column: Helsinki + FI holidays), warm cache; node ${process.version}`,
  );
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`);
  for (const r of rows) console.log(line(r));
  if (fourH) {
    const okMedian = fourH.ours.median < 10;
    const ratio = fourH.oracle.median / fourH.ours.median;
    const okRatio = ratio >= 100;
    console.log(
      `targets: 4 h median ${fmtUs(fourH.ours.median)} µs < 10 µs: ${okMedian ? 'PASS' : 'FAIL'}; ` +
        `>= 100x oracle: ${ratio.toFixed(0)}x ${okRatio ? 'PASS' : 'FAIL'}  => ${okMedian && okRatio ? 'PASS' : 'FAIL'}`,
    );
  }
  // Rendering instants in a zone (what every explanation and due label does): luxonZone against luxon's own IANA zone.
  const render = (zone: Parameters<typeof DateTime.fromMillis>[1]) => (s: number) => {
    const d = DateTime.fromMillis(s, zone);
    return (d.toISO()?.length ?? 0) + d.setLocale('en-US').toFormat('ZZZZ').length;
  };
  const viaLuxon = measure(render({ zone: 'Europe/Helsinki' }), BUDGET_MS / 2);
  const viaClockZone = measure(render({ zone: luxonZone('Europe/Helsinki') }), BUDGET_MS / 2);
  const explained = measure((s) => explain(emea, s, 16 * H).summary.length, BUDGET_MS / 2);
  console.log(
    `zone rendering (ISO + abbreviation, Helsinki): ${fmtUs(viaClockZone.median)} µs with luxonZone, ${fmtUs(viaLuxon.median)} µs with luxon's IANAZone ` +
      `(${(viaLuxon.median / viaClockZone.median).toFixed(1)}x); a full explain() of 16 business hours: ${fmtUs(explained.median)} µs`,
  );
  console.log(`(total ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

main();
