import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { stopChild, waitForHttp } from './processes';
import { projectRoot } from './project-root';

export interface MailCatcher {
  /** What the worker sends to (`smtp://127.0.0.1:<port>`). */
  smtpUrl: string;
  /** The web inbox. */
  webUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * MailDev (from npm) on loopback: an SMTP server that keeps every message and a web inbox, for
 * `npm start` only. Production points SMTP_URL at the organisation's relay and starts no catcher.
 * Messages stay in memory (a restart of `npm start` starts with an empty inbox).
 */
export async function startMailCatcher(options: { smtpPort: number; webPort: number }): Promise<MailCatcher> {
  const bin = join(projectRoot(), 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js');
  const child = spawn(
    process.execPath,
    [
      bin,
      '--smtp',
      String(options.smtpPort),
      '--web',
      String(options.webPort),
      '--ip',
      '127.0.0.1',
      '--web-ip',
      '127.0.0.1',
      '--silent',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = `${stderr}${chunk.toString()}`.slice(-2000)));
  const webUrl = `http://127.0.0.1:${options.webPort}`;
  try {
    await Promise.race([
      waitForHttp(`${webUrl}/api/healthz`, 20_000, 200),
      new Promise((_, reject) =>
        child.once('exit', (code) => reject(new Error(`mail catcher exited (${code}): ${stderr.trim()}`))),
      ),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`,
    webUrl,
    process: child,
    stop: () => stopChild(child, 5_000),
  };
}
