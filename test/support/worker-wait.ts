/**
 * For suites that stop the worker to get a command's 503: commands wait `ms` for a worker
 * (`API_WORKER_WAIT_MS`, default 10 s) before answering it. Call at the top of the suite, before the
 * `beforeAll` that starts the stack (hooks run in the order they are declared); restored after the suite.
 */
export function shortWorkerWait(ms: number): void {
  let previous: string | undefined;
  beforeAll(() => {
    previous = process.env.API_WORKER_WAIT_MS;
    process.env.API_WORKER_WAIT_MS = String(ms);
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.API_WORKER_WAIT_MS;
    else process.env.API_WORKER_WAIT_MS = previous;
  });
}
