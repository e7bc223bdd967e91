#!/usr/bin/env node
'use strict';
// `npm run drill`: the fault drills of test/drills/*.drill.ts, one process each (each starts and stops its own
// dev server, workers and API on free loopback ports), then one table. Exits non-zero when any drill fails.
// Not part of `npm test` (about 6-8 minutes; the webhook drill waits out the ~2 min delivery retry budget).
//   npm run drill                     all drills
//   npm run drill -- worker-kill      drills whose file name contains the word
//   npm run drill -- --cluster        the drills of test/drills/cluster/ on a Temporal cluster on PostgreSQL
//                                     (each starts its own; builds the server once, see libs/devstack/src/cluster.ts)
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const cluster = args.includes('--cluster');
const DIR = path.join(ROOT, 'test', 'drills', ...(cluster ? ['cluster'] : []));
const REGISTER = path.join(ROOT, 'scripts', 'ts-run.js');
const TIMEOUT_MS = 6 * 60_000;
const filters = args.filter((a) => !a.startsWith('--'));
const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.drill.ts') && (filters.length === 0 || filters.some((w) => f.includes(w))))
  .sort();

function runOne(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [REGISTER, path.join(DIR, file)], {
      cwd: ROOT,
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let result;
    let stderr = '';
    const log = path.join(os.tmpdir(), `sla-drill-${file.replace(/\W+/g, '-')}.log`);
    const out = fs.createWriteStream(log);
    child.stdout.on('data', (chunk) => {
      out.write(chunk);
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.startsWith('DRILL-RESULT ')) result = JSON.parse(line.slice(13));
    });
    child.stderr.on('data', (chunk) => {
      out.write(chunk);
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      out.end();
      const seconds = Math.round((Date.now() - started) / 1000);
      if (!result)
        result = {
          name: file,
          ok: false,
          seconds,
          details: { error: `exit ${signal ?? code} without a result; see ${log}`, stderr: stderr.slice(-400) },
        };
      result.ok = result.ok && code === 0;
      result.file = file;
      result.log = log;
      resolve(result);
    });
  });
}

(async () => {
  const t0 = Date.now();
  if (cluster) {
    // The first build of the server takes minutes: outside any drill's time limit.
    const built = require('node:child_process').spawnSync(
      process.execPath,
      [REGISTER, path.join(ROOT, 'scripts', 'cluster-build.ts')],
      { cwd: ROOT, stdio: 'inherit' },
    );
    if (built.status !== 0) process.exit(built.status || 1);
  }
  const results = [];
  for (const file of files) {
    process.stdout.write(`[drill] ${file} ... `);
    const r = await runOne(file);
    process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'} (${r.seconds} s)\n`);
    if (!r.ok) process.stdout.write(`        ${JSON.stringify(r.details)}\n        log: ${r.log}\n`);
    results.push(r);
  }
  const head = ['drill', 'result', 's', 'details'];
  const cells = results.map((r) => [
    r.name,
    r.ok ? 'PASS' : 'FAIL',
    String(r.seconds),
    Object.entries(r.details || {})
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  const sha = require('node:child_process')
    .spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' })
    .stdout.trim();
  console.log(
    `\n${cluster ? 'cluster ' : ''}drills (commit ${sha}, ${os.cpus().length} cores, node ${process.version}, ${Math.round((Date.now() - t0) / 1000)} s)\n`,
  );
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
  process.exit(results.length > 0 && results.every((r) => r.ok) ? 0 : 1);
})();
