import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../libs/devstack/src';

const ROOT = join(__dirname, '..', '..');

/** Runs an entry point as `npm start` would (TypeScript through the repo's require hook); its exit and stderr. */
function runEntry(
  entry: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'ts-run.js'), join(ROOT, entry)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} still running after ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - t0 });
    });
  });
}

describe('start-up configuration (issue 14, item 11)', () => {
  let closedAddress: string;
  beforeAll(async () => {
    // Nothing listens there: a process that got past its configuration would fail on the connection instead.
    closedAddress = `127.0.0.1:${await freePort()}`;
  });

  it('the API refuses API_RATE_LIMIT_PER_MINUTE=600/min at start-up, naming the variable and the rule', async () => {
    const run = await runEntry('apps/api/src/main.ts', {
      API_RATE_LIMIT_PER_MINUTE: '600/min',
      TEMPORAL_ADDRESS: closedAddress,
      API_PORT: '0',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('API_RATE_LIMIT_PER_MINUTE="600/min": must be a whole number from 0 to 1000000');
  });

  it('the worker refuses a bad TEMPORAL_LOG_LEVEL and WORKER_MAX_CACHED_WORKFLOWS at start-up, naming both', async () => {
    const run = await runEntry('apps/worker/src/main.ts', {
      TEMPORAL_LOG_LEVEL: 'LOUD',
      WORKER_MAX_CACHED_WORKFLOWS: 'lots',
      TEMPORAL_ADDRESS: closedAddress,
      WORKER_METRICS_ADDRESS: `127.0.0.1:${0}`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('TEMPORAL_LOG_LEVEL="LOUD": must be one of TRACE, DEBUG, INFO, WARN, ERROR');
    expect(run.stderr).toContain('WORKER_MAX_CACHED_WORKFLOWS="lots": must be a whole number from 0 to 1000000');
  });
});
