/**
 * The fixed-rate read probe of bench/load.ts, run in its own process so that its timings do not
 * include the load generator's event-loop lag. Reads PROBE_PATHS (a JSON file of paths, read in turn)
 * from PROBE_BASE_URL with the bearer PROBE_TOKEN every PROBE_INTERVAL_MS; prints READY, then, once
 * its stdin closes and the reads in flight answered, one JSON line: samples (ms of 200 answers not
 * degraded), statuses, degraded, errors, wallMs.
 */
import { readFileSync } from 'node:fs';

const baseUrl = process.env.PROBE_BASE_URL!;
const token = process.env.PROBE_TOKEN!;
const intervalMs = Number(process.env.PROBE_INTERVAL_MS ?? 50);
const paths: string[] = JSON.parse(readFileSync(process.env.PROBE_PATHS!, 'utf8'));

const samples: number[] = [];
const statuses: Record<number, number> = {};
let degraded = 0;
let errors = 0;
let next = 0;
const inflight = new Set<Promise<void>>();

async function read(path: string): Promise<void> {
  const t0 = performance.now();
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
    const body = await response.text();
    const ms = performance.now() - t0;
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    if (response.status !== 200) errors++;
    else if ((JSON.parse(body) as { degraded?: boolean }).degraded) degraded++;
    else samples.push(ms);
  } catch {
    statuses[0] = (statuses[0] ?? 0) + 1;
    errors++;
  }
}

const t0 = performance.now();
const timer = setInterval(() => {
  const p = read(paths[next++ % paths.length]);
  inflight.add(p);
  void p.then(() => inflight.delete(p));
}, intervalMs);

process.stdin.resume();
process.stdin.on('end', async () => {
  clearInterval(timer);
  await Promise.all([...inflight]);
  process.stdout.write(
    `${JSON.stringify({ samples, statuses, degraded, errors, wallMs: performance.now() - t0 })}\n`,
    () => process.exit(0),
  );
});
process.stdout.write('READY\n');
