/**
 * Shared harness of the system benchmarks (bench/load, timers, scale), the drills (test/drills) and the
 * fuzz run (test/fuzz): a Temporal dev server (own port; in-memory or a SQLite file) or the cluster in
 * TEMPORAL_ADDRESS, a worker (in this process or a child process), the Nest API (in this process or a
 * child process) on a free loopback port, API keys per test caller, HTTP with timing, statistics and
 * the table style of bench/business-time.ts.
 *
 * Child processes run TypeScript sources through scripts/ts-run.js (no build needed):
 * scripts/drill-worker.ts and scripts/drill-api.ts.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { parse, stringify } from 'yaml';
import { NOTIFICATION_LOG_SINK } from '../activities';
import { createApiApp } from '../apps/api/src/create-app';
import { createLogger } from '../libs/observability/src';
import { DevServer, freePort, startDevServer, temporalToolchain } from '../libs/devstack/src';
import { buildPolicy, Policy, PolicyDocumentInput } from '../libs/policy/src';
import { createTestKeys, TestKeys } from '../test/support/api-keys';
import { createSlaClient, Schemas, SlaClient } from '../libs/client/src';
import { checkedFetch, ContractChecker, reportContractStats } from '../test/support/contract';
import { apiRequester } from '../test/support/http';
import type { Caller } from '../test/support/api-keys';
export type { HttpResult } from '../test/support/http';
import { RunningWorker, startWorker } from '../test/support/temporal';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../apps/worker/src/workflow-code';

export const ROOT = resolve(__dirname, '..');
export const REGISTER = join(ROOT, 'scripts', 'ts-run.js');
/** Secret of the local webhook receivers (Standard Webhooks `whsec_` form) and the env variable naming it. */
export const BENCH_HOOK_SECRET = `whsec_${Buffer.from('sla-bench-hook-secret-0123456789').toString('base64')}`;
export const BENCH_HOOK_SECRET_ENV = 'SLA_BENCH_HOOK_SECRET';
process.env[BENCH_HOOK_SECRET_ENV] = BENCH_HOOK_SECRET;
process.env.TZ = 'UTC';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One Temporal runtime per process, warnings only. */
export function installRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed
  }
}

/** `--n 300 --c 16 --json out.json --pause-worker` into an object; numbers stay numbers, `--a-flag` sets `aFlag`. */
export function parseArgs<T extends Record<string, string | number | boolean>>(
  defaults: T,
  argv = process.argv.slice(2),
): T {
  const out: Record<string, string | number | boolean> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-zA-Z][\w-]*)(?:=(.*))?$/.exec(argv[i]);
    if (!m) continue;
    const name = m[1].replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    let value: string | undefined = m[2];
    if (value === undefined && i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    const def = defaults[name];
    out[name] =
      typeof def === 'number' ? Number(value) : typeof def === 'boolean' ? value !== 'false' : (value ?? 'true');
    if (typeof def === 'number' && !Number.isFinite(out[name] as number)) throw new Error(`--${name} must be a number`);
  }
  return out as T;
}

/** The workflow bundle of workflows/ (bundled once per process tree; children get its path). */
export async function ensureWorkflowBundle(): Promise<string> {
  const existing = process.env.SLA_WORKFLOW_BUNDLE;
  if (existing && existsSync(existing)) return existing;
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: quietBundlerLogger,
  });
  const file = join(mkdtempSync(join(tmpdir(), 'sla-bench-bundle-')), 'workflow-bundle.js');
  writeFileSync(file, code);
  process.env.SLA_WORKFLOW_BUNDLE = file;
  return file;
}

export const quietBundlerLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };

/** The default policy document changed by `change`, validated, and written to a temp YAML file (for children). */
export function benchPolicy(change?: (doc: PolicyDocumentInput) => void): { policy: Policy; path: string } {
  const doc = parse(readFileSync(join(ROOT, 'config', 'sla-policy.yaml'), 'utf8'));
  change?.(doc);
  const policy = buildPolicy(doc, 'bench policy');
  const path = join(mkdtempSync(join(tmpdir(), 'sla-bench-policy-')), 'sla-policy.yaml');
  writeFileSync(path, stringify(doc));
  return { policy, path };
}

/** A subscriber entry for the policy: every event to `url`, signed with the bench secret. */
export const subscriber = (id: string, url: string, events = ['*']) => ({
  id,
  url,
  secretEnv: BENCH_HOOK_SECRET_ENV,
  events,
});

export interface ChildHandle {
  name: string;
  process: ChildProcess;
  pid: number;
  logFile: string;
  /** Resolves with the exit code or signal. */
  exited: Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<string>;
  /** Resident set size of the child in bytes (Linux /proc), undefined when gone. */
  rss(): number | undefined;
}

export interface StackOptions {
  /** Changes to the default policy document (targets, subscribers). */
  policy?: (doc: PolicyDocumentInput) => void;
  worker?: 'inprocess' | 'child' | 'none';
  api?: 'inprocess' | 'child';
  /** SQLite file for the dev server (drills restart it on the same file). */
  dbFile?: string;
  /** Fixed dev-server port (drills restart it on the same port); default: a free port. */
  temporalPort?: number;
  /** Fixed API port (the API restart drill); default: a free port. */
  apiPort?: number;
  /** Extra env for child processes. */
  childEnv?: NodeJS.ProcessEnv;
  /**
   * Check every answer of `http` and `sla` against the served OpenAPI document (e2e suites on this
   * stack); off for benches, which measure the engine.
   */
  contract?: boolean;
}

export interface BenchStack {
  address: string;
  namespace: string;
  server?: DevServer;
  client: Client;
  policy: Policy;
  policyPath: string;
  keys: TestKeys;
  baseUrl: string;
  logDir: string;
  api?: NestExpressApplication;
  apiChild?: ChildHandle;
  worker?: RunningWorker;
  workers: ChildHandle[];
  http: ReturnType<typeof apiRequester>;
  /** The typed client (libs/client) calling as `as`, the way an integrator's code calls the API. */
  sla(as?: Caller): SlaClient;
  /** A worker in a child process (scripts/drill-worker.ts) on task queue `sla`. */
  startChildWorker(name?: string): Promise<ChildHandle>;
  /** An API in a child process; a second replica takes its own port and name (the cluster's API drill). */
  startChildApi(port?: number, name?: string): Promise<ChildHandle>;
  /** Every child API started (teardown stops them all). */
  apis: ChildHandle[];
  /** (Re)starts the dev server on the same port and db file (drills). */
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  teardown(): Promise<void>;
}

/** Waits for a line matching `ready` on the child's stdout (its output also goes to `logFile`). */
function spawnTs(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  logDir: string,
  ready: RegExp,
  timeoutMs = 90_000,
): Promise<ChildHandle> {
  const logFile = join(logDir, `${name}.log`);
  const out = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '-r', REGISTER, script],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', out] },
  );
  closeSync(out);
  let exitState: string | undefined;
  const exited = new Promise<string>((r) =>
    child.once('exit', (code, signal) => {
      exitState = signal ?? String(code);
      r(exitState);
    }),
  );
  const handle: ChildHandle = {
    name,
    process: child,
    pid: child.pid!,
    logFile,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (exitState === undefined) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
    rss() {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m ? Number(m[1]) * 1024 : undefined;
      } catch {
        return undefined;
      }
    },
  };
  return new Promise((resolveReady, reject) => {
    let buffer = '';
    let done = false;
    const timer = setTimeout(
      () => finish(new Error(`${name} not ready within ${timeoutMs} ms (log: ${logFile})`)),
      timeoutMs,
    );
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else resolveReady(handle);
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      try {
        writeFileSync(logFile, text, { flag: 'a' });
      } catch {
        // log folder gone
      }
      if (!done) {
        buffer += text;
        if (ready.test(buffer)) finish();
      }
    });
    void exited.then((state) => finish(new Error(`${name} exited (${state}) before it was ready (log: ${logFile})`)));
  });
}

export async function startBenchStack(options: StackOptions = {}): Promise<BenchStack> {
  installRuntime();
  const logDir = mkdtempSync(join(tmpdir(), 'sla-bench-logs-'));
  const { policy, path: policyPath } = benchPolicy(options.policy);
  const external = process.env.TEMPORAL_ADDRESS;
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  const temporalPort = options.temporalPort ?? (external ? 0 : await freePort());
  const bundle = await ensureWorkflowBundle();
  let server: DevServer | undefined;
  const startServer = async () => {
    server = await startDevServer({
      cliPath: temporalToolchain().cli,
      port: temporalPort,
      dbFile: options.dbFile,
      namespace,
      logFile: join(logDir, 'temporal.log'),
    });
  };
  if (!external) await startServer();
  const address = external ?? `127.0.0.1:${temporalPort}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const keys = createTestKeys();
  const childEnv: NodeJS.ProcessEnv = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: namespace,
    SLA_POLICY_PATH: policyPath,
    SLA_WORKFLOW_BUNDLE: bundle,
    API_KEYS_PATH: keys.path,
    TZ: 'UTC',
    LOG_LEVEL: 'warn',
    API_RATE_LIMIT_PER_MINUTE: '0',
    [BENCH_HOOK_SECRET_ENV]: BENCH_HOOK_SECRET,
    ...options.childEnv,
  };
  let workerConnection: NativeConnection | undefined;
  const apiPort = options.apiPort ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  let contract: ContractChecker | undefined;
  const contractChecker = () => {
    if (!contract) throw new Error('the contract checker is loaded once the API is up');
    return contract;
  };

  const stack: BenchStack = {
    address,
    namespace,
    get server() {
      return server;
    },
    client,
    policy,
    policyPath,
    keys,
    baseUrl,
    logDir,
    workers: [],
    http: apiRequester(baseUrl, keys, options.contract ? () => contractChecker() : undefined),
    sla: (as: Caller = 'admin') =>
      createSlaClient({
        baseUrl,
        apiKey: keys.token[as],
        ...(options.contract ? { fetch: checkedFetch(() => contractChecker()) } : {}),
      }),
    async startChildWorker(name = `worker-${stack.workers.length + 1}`) {
      const child = await spawnTs(name, join(ROOT, 'scripts', 'drill-worker.ts'), childEnv, logDir, /^READY worker/m);
      stack.workers.push(child);
      return child;
    },
    apis: [],
    async startChildApi(port = apiPort, name = 'api') {
      const child = await spawnTs(
        name,
        join(ROOT, 'scripts', 'drill-api.ts'),
        { ...childEnv, API_PORT: String(port) },
        logDir,
        /^READY api/m,
      );
      stack.apis.push(child);
      if (port === apiPort) stack.apiChild = child;
      return child;
    },
    startServer,
    async stopServer() {
      await server?.stop();
    },
    async teardown() {
      if (options.contract) reportContractStats();
      await Promise.all(stack.apis.map((a) => a.kill('SIGTERM')));
      await stack.api?.close();
      await Promise.all(stack.workers.map((w) => w.kill('SIGTERM')));
      await stack.worker?.stop();
      await workerConnection?.close();
      await connection.close();
      await server?.stop();
    },
  };

  try {
    if ((options.worker ?? 'inprocess') === 'inprocess') {
      workerConnection = await NativeConnection.connect({ address });
      // The structured notification log goes nowhere here (it would flood the bench output); children log to their
      // file.
      stack.worker = await startWorker(workerConnection, namespace, policy, {
        client,
        providers: [{ provide: NOTIFICATION_LOG_SINK, useValue: { write() {} } }],
      });
    } else if (options.worker === 'child') {
      await stack.startChildWorker();
    }
    if ((options.api ?? 'inprocess') === 'inprocess') {
      // Silent logs and no per-key rate limit: the benches measure the engine, not the log sink or the limiter.
      stack.api = await createApiApp({
        client,
        policy,
        keys: keys.store,
        logger: createLogger('api', { level: process.env.BENCH_API_LOG_LEVEL ?? 'silent' }),
        quiet: true,
        rateLimitPerMinute: 0,
      });
      await stack.api.listen(apiPort, '127.0.0.1');
    } else {
      await stack.startChildApi();
    }
    if (options.contract)
      contract = new ContractChecker(
        (await (await fetch(`${baseUrl}/openapi.json`)).json()) as Record<string, unknown>,
      );
  } catch (error) {
    await stack.teardown().catch(() => undefined);
    throw error;
  }
  return stack;
}

/** An account with one registered contact (admin key). */
export async function createAccount(
  stack: BenchStack,
  id: string,
  plan: string,
  center = 'emea',
  contactId = `C-${id.toUpperCase()}-1`,
  tamId?: string,
): Promise<string> {
  const created = await stack.http('POST', '/v1/accounts', {
    id,
    name: `Bench ${id}`,
    type: 'customer',
    plan,
    supportCenter: center,
    contractStart: '2025-01-01',
    ...(tamId ? { tamId } : {}),
  });
  if (created.status !== 201 && created.status !== 200)
    throw new Error(`create account ${id}: ${created.status} ${JSON.stringify(created.body)}`);
  const contact = await stack.http('POST', `/v1/accounts/${id}/contacts`, {
    contactId,
    name: 'Bench Contact',
    email: `${contactId.toLowerCase()}@bench.example`,
  });
  if (contact.status !== 201 && contact.status !== 200)
    throw new Error(`register contact on ${id}: ${contact.status} ${JSON.stringify(contact.body)}`);
  return contactId;
}

/** An incident body for `POST /v1/incidents`. */
export function incidentBody(
  accountId: string,
  contactId: string,
  severity: Schemas['Severity'],
  options: { enteredAt?: number; summary?: string; channel?: Schemas['Channel'] } = {},
): Schemas['OpenIncidentRequest'] {
  return {
    accountId,
    contactId,
    severity,
    priority: 3,
    channel: options.channel ?? 'portal',
    product: 'Engine',
    productVersion: '4.2',
    summary: options.summary ?? `bench Sev ${severity}`,
    description: 'opened by a benchmark',
    ...(options.enteredAt !== undefined ? { enteredAt: new Date(options.enteredAt).toISOString() } : {}),
  };
}

/** Runs `fn(0..n-1)` with at most `c` in flight; returns the wall time in ms. */
export async function pool(n: number, c: number, fn: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(c, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  return performance.now() - t0;
}

export interface Stats {
  n: number;
  errors: number;
  perSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of `samples` (ms) and throughput over `wallMs`. */
export function stats(samples: number[], wallMs: number, errors = 0): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) =>
    s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
  return {
    n: s.length,
    errors,
    perSec: (s.length / wallMs) * 1000,
    p50: q(50),
    p95: q(95),
    p99: q(99),
    max: s.length ? s[s.length - 1] : NaN,
  };
}

export const fmtMs = (x: number): string =>
  Number.isNaN(x) ? '-' : x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0);
export const fmtNum = (x: number): string => (Number.isNaN(x) ? '-' : Math.round(x).toLocaleString('en-US'));
export const fmtMB = (bytes: number | undefined): string =>
  bytes === undefined ? '-' : `${(bytes / 1048576).toFixed(0)} MB`;

/**
 * CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat (Linux; 100 ticks a
 * second), or undefined when it cannot be read. Benches divide the CPU a phase took in each process by
 * the operations it served: on a saturated 2-core box that, not latency, is what bounds throughput.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** The processes of a bench stack by role, for CPU accounting (this process holds what runs in-process). */
export function stackProcesses(stack: BenchStack): Record<string, number | undefined> {
  const processes: Record<string, number | undefined> = {
    'dev server': stack.server?.process.pid,
    [`this process (load generator${stack.api ? ', API' : ''}${stack.worker ? ', worker' : ''})`]: process.pid,
  };
  if (stack.apiChild) processes['API (child)'] = stack.apiChild.pid;
  for (const w of stack.workers) processes[`${w.name} (child)`] = w.pid;
  return processes;
}

/** Starts counting CPU per process; the returned function gives the ms each used since. */
export function cpuMeter(processes: Record<string, number | undefined>): () => Record<string, number> {
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, processCpuMs(pid)]));
  return () => {
    const used: Record<string, number> = {};
    for (const [name, pid] of Object.entries(processes)) {
      const now = processCpuMs(pid);
      const was = before[name];
      if (now !== undefined && was !== undefined) used[name] = now - was;
    }
    return used;
  };
}

/** A Markdown table, first column left-aligned, the others right-aligned (bench/business-time.ts style). */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (i === 0 ? (c ?? '').padEnd(widths[i]) : (c ?? '').padStart(widths[i]))).join(' | ')} |`;
  return [
    line(head),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** One line of the combined `npm run bench` table. */
export interface SummaryRow {
  bench: string;
  metric: string;
  value: string;
  target?: string;
  pass?: boolean;
}

/** Writes the summary rows where `--json <file>` asked (the run-all script collects them). */
export function writeSummary(file: string | undefined, rows: SummaryRow[]): void {
  if (file && file !== 'true') writeFileSync(file, JSON.stringify(rows, null, 2));
}

export const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** Runs a bench's main and exits with its outcome (native threads would otherwise keep the process up). */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/**
 * A worker of a trivial workflow (`benchNoopWorkflow`, bench/load-baseline.workflows.ts) on `taskQueue`:
 * the bare starts the engine's intake is measured against, on the same Temporal.
 */
export async function startBaselineWorker(stack: BenchStack, taskQueue: string) {
  const connection = await NativeConnection.connect({ address: stack.address });
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./load-baseline.workflows'),
    logger: quietBundlerLogger,
  });
  // Pollers as the engine's worker has them (apps/worker/src/sla-worker.ts), so both keep up alike.
  const worker = await Worker.create({
    connection,
    namespace: stack.namespace,
    taskQueue,
    workflowBundle: { code },
    workflowTaskPollerBehavior: { type: 'autoscaling' },
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}
