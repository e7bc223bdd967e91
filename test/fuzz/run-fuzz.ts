/**
 * Fuzz run of the live API from its own OpenAPI document with schemathesis (pinned, installed into .tools/fuzz
 * by scripts/setup-fuzz.js): one run per test caller (every role and binding of test/support/api-keys.ts, plus
 * no key), bounded examples per operation. Checks: not_a_server_error (no 5xx) and problem_json_on_4xx
 * (test/fuzz/fuzz_hooks.py: every 4xx is application/problem+json with a matching status).
 * Starts its own stack (dev server, worker and API in this process; rate limit off so 429s do not hide the
 * rest), seeds the accounts the customer keys are bound to, and stops everything at the end.
 * Run: npm run fuzz [-- --examples 25]   (also test/fuzz/api.fuzz.test.ts with fewer examples)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BenchStack,
  createAccount,
  incidentBody,
  parseArgs,
  ROOT,
  startBenchStack,
  table,
} from '../../bench/load-stack';
import { Caller, TEST_CALLERS } from '../support/api-keys';

export interface FuzzRun {
  caller: Caller | 'none';
  exitCode: number;
  seconds: number;
  /** Failure lines of schemathesis' summary (operation, check, status). */
  failures: string[];
  /** Tail of the output when the run failed. */
  output: string;
}

export interface FuzzResult {
  ok: boolean;
  seconds: number;
  runs: FuzzRun[];
}

/** Installs schemathesis when missing; returns its path. */
export function schemathesisPath(): string {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'setup-fuzz.js')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error('scripts/setup-fuzz.js failed');
  return r.stdout.trim().split('\n').pop()!;
}

async function seed(stack: BenchStack): Promise<void> {
  await createAccount(stack, 'acme', 'SPE', 'emea', 'C-ACME-1', 'jane.doe');
  await createAccount(stack, 'globex', 'SP2', 'americas', 'C-GLOBEX-1');
  const partner = await stack.http('POST', '/v1/accounts', {
    id: 'resellerx',
    name: 'Reseller X',
    type: 'partner',
    plan: 'SP1',
    supportCenter: 'emea',
    contractStart: '2025-01-01',
  });
  if (partner.status !== 201) throw new Error(`seed partner: ${partner.status} ${JSON.stringify(partner.body)}`);
  const opened = await stack.http('POST', '/v1/incidents', incidentBody('acme', 'C-ACME-1', 3), { as: 'agent' });
  if (opened.status !== 201) throw new Error(`seed incident: ${opened.status} ${JSON.stringify(opened.body)}`);
}

function runSchemathesis(
  exe: string,
  stack: BenchStack,
  caller: Caller | 'none',
  examples: number,
  phases: string,
  reportDir: string,
): Promise<FuzzRun> {
  const args = [
    'run',
    `${stack.baseUrl}/openapi.json`,
    '--url',
    stack.baseUrl,
    '--checks',
    'not_a_server_error,problem_json_on_4xx',
    '--max-examples',
    String(examples),
    '--phases',
    phases,
    '--workers',
    '2',
    '--seed',
    '20261130',
    '--request-timeout',
    '20',
    '--generation-database',
    'none',
    '--suppress-health-check',
    'all',
    '--no-color',
    '--report-dir',
    join(reportDir, caller),
    ...(caller === 'none' ? [] : ['--header', `Authorization: Bearer ${stack.keys.token[caller]}`]),
  ];
  const t0 = Date.now();
  return new Promise((resolve) => {
    // Asynchronous on purpose: the API under test runs in this process and must keep serving.
    const child = spawn(exe, args, {
      env: { ...process.env, SCHEMATHESIS_HOOKS: 'fuzz_hooks', PYTHONPATH: __dirname, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const failures = output
        .split('\n')
        .filter(
          (l) =>
            /^\s*(?:_+\s+)?(GET|POST|PATCH|PUT|DELETE)\s+\/\S*/.test(l) ||
            /Server error|problem\+json|not_a_server_error|problem_json_on_4xx/.test(l),
        )
        .map((l) => l.trim())
        .filter((l, i, all) => l && all.indexOf(l) === i)
        .slice(0, 40);
      resolve({
        caller,
        exitCode: code ?? -1,
        seconds: Math.round((Date.now() - t0) / 1000),
        failures: code === 0 ? [] : failures,
        output: code === 0 ? '' : output.slice(-6000),
      });
    });
  });
}

/**
 * `coverageFor`: callers that also get schemathesis' coverage phase (boundary and invalid values of every parameter).
 */
export async function runFuzz(options: {
  examples: number;
  phases?: string;
  callers?: Array<Caller | 'none'>;
  coverageFor?: Array<Caller | 'none'>;
}): Promise<FuzzResult> {
  const t0 = Date.now();
  const exe = schemathesisPath();
  const stack = await startBenchStack({ worker: 'inprocess' });
  const reportDir = mkdtempSync(join(tmpdir(), 'sla-fuzz-'));
  try {
    await seed(stack);
    const callers = options.callers ?? [...(Object.keys(TEST_CALLERS) as Caller[]), 'none'];
    const runs: FuzzRun[] = [];
    for (const caller of callers) {
      const phases = options.phases ?? 'examples,coverage,fuzzing';
      const withCoverage =
        options.coverageFor?.includes(caller) && !phases.includes('coverage') ? `coverage,${phases}` : phases;
      runs.push(await runSchemathesis(exe, stack, caller, options.examples, withCoverage, reportDir));
    }
    return { ok: runs.every((r) => r.exitCode === 0), seconds: Math.round((Date.now() - t0) / 1000), runs };
  } finally {
    await stack.teardown();
  }
}

if (process.argv[1] === __filename) {
  const args = parseArgs({ examples: 25, phases: 'examples,coverage,fuzzing', callers: '' });
  const callers = args.callers ? (args.callers.split(',') as Array<Caller | 'none'>) : undefined;
  runFuzz({ examples: args.examples, phases: args.phases, callers }).then(
    (result) => {
      for (const run of result.runs.filter((r) => r.exitCode !== 0)) {
        console.log(`\n--- schemathesis as ${run.caller} (exit ${run.exitCode}) ---\n${run.output}`);
      }
      console.log(
        `\nAPI fuzz (schemathesis, ${args.examples} examples per operation, phases ${args.phases}, checks not_a_server_error + problem_json_on_4xx), ${result.seconds} s`,
      );
      console.log(
        table(
          ['caller', 'result', 's', 'failures'],
          result.runs.map((r) => [
            r.caller,
            r.exitCode === 0 ? 'PASS' : `FAIL (exit ${r.exitCode})`,
            String(r.seconds),
            r.failures.slice(0, 3).join(' / '),
          ]),
        ),
      );
      process.exit(result.ok ? 0 : 1);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

// keep the reader of report files available for debugging runs
export const readReport = (path: string) => readFileSync(path, 'utf8');
