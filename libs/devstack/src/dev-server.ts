import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { SA, searchAttributeRegistrations } from '../../contracts/src/search-attributes';

export interface DevServerOptions {
  cliPath: string;
  port: number;
  /** Web UI port; omit for a headless server (tests). */
  uiPort?: number;
  /** SQLite file for persistence; omit for in-memory. */
  dbFile?: string;
  namespace?: string;
  ip?: string;
  /** File that receives the server's own output (appended); default: discarded. */
  logFile?: string;
  readyTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  namespace: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `temporal server start-dev` with the engine's search attributes and waits until the
 * namespace answers and the attributes are registered. We poll ourselves (up to a minute)
 * because the SDK's own readiness wait is too short on a loaded 2-core machine.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const namespace = options.namespace ?? 'default';
  const ip = options.ip ?? '127.0.0.1';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(options.port), '--namespace', namespace];
  args.push(...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  args.push('--log-level', 'warn');
  for (const registration of searchAttributeRegistrations()) args.push('--search-attribute', registration);

  const out = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(options.cliPath, args, { stdio: ['ignore', out, out] });
  if (typeof out === 'number') closeSync(out);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  // Never leave a server behind when the owning process ends without calling stop().
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
  const address = `${ip}:${options.port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!done) child.kill('SIGKILL');
      await exited;
    }
  };

  try {
    await waitUntilReady(address, namespace, options.readyTimeoutMs ?? 60_000, () => child.exitCode !== null);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, namespace, process: child, stop };
}

async function waitUntilReady(address: string, namespace: string, timeoutMs: number, hasExited: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`temporal dev server exited during start-up (${address})`);
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 1_000 });
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      if (customAttributes && SA.state.name in customAttributes) return;
      lastError = new Error('search attributes not registered yet');
    } catch (error) {
      lastError = error;
    } finally {
      await connection?.close();
    }
    await sleep(250);
  }
  throw new Error(`temporal dev server at ${address} not ready after ${timeoutMs} ms: ${String(lastError)}`);
}
