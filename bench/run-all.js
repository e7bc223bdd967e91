#!/usr/bin/env node
'use strict';
// `npm run bench`: business-time, load, timers, scale and history-growth with small defaults, one after the other (each
// starts and stops its own stack), then one table of the headline figures. Each bench's own table is
// printed as it finishes. Extra flags: --load "--n 2000 --c 32", --scale "--n 10000" (quoted, passed on;
// a bench given flags gets four times its time limit).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const REGISTER = path.join(__dirname, '..', 'scripts', 'ts-run.js');
const extra = {};
for (let i = 2; i < process.argv.length; i += 2)
  extra[process.argv[i].replace(/^--/, '')] = (process.argv[i + 1] || '').split(/\s+/).filter(Boolean);

const BENCHES = [
  {
    name: 'business-time',
    file: 'business-time.ts',
    args: [],
    env: { BENCH_BUDGET_MS: process.env.BENCH_BUDGET_MS || '400' },
    timeoutMs: 180_000,
  },
  { name: 'load', file: 'load.ts', args: ['--n', '300', '--c', '16'], timeoutMs: 240_000 },
  { name: 'timers', file: 'timers.ts', args: ['--n', '60', '--c', '8'], timeoutMs: 180_000 },
  { name: 'scale', file: 'scale.ts', args: ['--n', '1000', '--c', '16'], timeoutMs: 420_000 },
  // Issue 14, item 7 with small defaults; `npm run bench:history-growth` runs the full 5,000 / 500.
  {
    name: 'history-growth',
    file: 'history-growth.ts',
    args: ['--changes', '1000', '--pairs', '100', '--targetS', '60'],
    timeoutMs: 420_000,
  },
];

function git(args) {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '?';
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sla-bench-'));
const rows = [];
const t0 = Date.now();
let failed = false;
for (const bench of BENCHES) {
  const json = path.join(dir, `${bench.name}.json`);
  const args = [
    REGISTER,
    path.join(__dirname, bench.file),
    ...bench.args,
    ...(extra[bench.name] || []),
    '--json',
    json,
  ];
  process.stdout.write(`\n## ${bench.name}\n\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, TZ: 'UTC', ...bench.env },
    timeout: bench.timeoutMs * (extra[bench.name] ? 4 : 1),
    killSignal: 'SIGTERM',
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (r.status !== 0) {
    failed = true;
    rows.push({
      bench: bench.name,
      metric: 'run',
      value: `exit ${r.status ?? r.signal} after ${seconds} s`,
      target: 'exit 0',
      pass: false,
    });
    continue;
  }
  if (bench.name === 'business-time') {
    rows.push({
      bench: bench.name,
      metric: 'see its table above (4 h median < 10 µs, >= 100x oracle)',
      value: `${seconds} s`,
      target: '',
    });
    continue;
  }
  try {
    rows.push(...JSON.parse(fs.readFileSync(json, 'utf8')));
  } catch {
    rows.push({ bench: bench.name, metric: 'summary', value: 'missing', pass: false });
  }
}

const head = ['bench', 'metric', 'value', 'target', 'result'];
const cells = rows.map((r) => [
  r.bench,
  r.metric,
  r.value,
  r.target || '',
  r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL',
]);
const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
console.log(
  `\n## summary (commit ${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain']) ? ' + uncommitted changes in the tree' : ''}, ${os.cpus().length} cores, node ${process.version}, ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`,
);
console.log(line(head));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const c of cells) console.log(line(c));
fs.rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
