import { ChildProcess, spawn } from 'node:child_process';
import { stopChild, waitForHttp } from './processes';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createKeysFileWithAdmin } from '../../auth/src';
import { appConfigOrExit } from '../../settings/src/config';
import { DevServer, startDevServer } from './dev-server';
import { MailCatcher, startMailCatcher } from './mail-catcher';
import { projectRoot } from './project-root';
import { temporalToolchain } from './toolchain';

/**
 * `npm start`: the embedded Temporal dev server (SQLite under data/, UI), the worker and the API,
 * as one foreground process. Ctrl-C stops all three (API first, then the worker drains, then Temporal).
 */
const root = projectRoot();
const env = process.env;
// A bad variable stops `npm start` before anything starts, naming the variable and the rule.
const config = appConfigOrExit('stack');
const apiPort = config.API_PORT;
const apiHost = config.API_HOST;
const temporalPort = config.TEMPORAL_PORT;
const uiPort = config.TEMPORAL_UI_PORT;
const dataDir = resolve(root, config.DATA_DIR);
const externalTemporal = config.TEMPORAL_ADDRESS;
const mailSmtpPort = config.MAIL_CATCHER_SMTP_PORT;
const mailWebPort = config.MAIL_CATCHER_WEB_PORT;

const children: ChildProcess[] = [];
let devServer: DevServer | undefined;
let mailCatcher: MailCatcher | undefined;
let stopping = false;

function prefixOutput(child: ChildProcess, name: string) {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
  }
}

function startNode(name: string, script: string, extraEnv: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist', script)], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixOutput(child, name);
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[stack] ${name} exited unexpectedly (${signal ?? code}); stopping everything`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

/** An SMTP URL without its password, for the banner. */
function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'SMTP_URL';
  }
}

async function shutdown(exitCode: number) {
  if (stopping) return;
  stopping = true;
  console.log('[stack] stopping: api, worker, temporal');
  for (const child of [...children].reverse()) await stopChild(child, 15_000);
  await devServer?.stop();
  await mailCatcher?.stop();
  console.log('[stack] stopped');
  process.exit(exitCode);
}

async function main() {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  let temporalAddress = externalTemporal;
  if (!temporalAddress) {
    mkdirSync(dataDir, { recursive: true });
    console.log(`[stack] starting Temporal dev server (db ${join(dataDir, 'temporal.db')})`);
    devServer = await startDevServer({
      cliPath: temporalToolchain().cli,
      port: temporalPort,
      uiPort,
      dbFile: join(dataDir, 'temporal.db'),
      namespace: config.TEMPORAL_NAMESPACE,
      logFile: join(dataDir, 'temporal-dev-server.log'),
    });
    devServer.process.once('exit', (code) => {
      if (!stopping) {
        console.error(
          `[stack] Temporal dev server exited unexpectedly (${code}); see ${join(dataDir, 'temporal-dev-server.log')}`,
        );
        void shutdown(1);
      }
    });
    temporalAddress = devServer.address;
  }
  // Without SMTP_URL the local stack brings its own inbox, so escalations and invitations are seen at once.
  let smtpUrl = config.SMTP_URL;
  if (!smtpUrl) {
    console.log(`[stack] starting the mail catcher (SMTP ${mailSmtpPort}, inbox ${mailWebPort})`);
    mailCatcher = await startMailCatcher({ smtpPort: mailSmtpPort, webPort: mailWebPort });
    mailCatcher.process.once('exit', (code) => {
      if (!stopping) {
        console.error(`[stack] mail catcher exited unexpectedly (${code}); stopping everything`);
        void shutdown(1);
      }
    });
    smtpUrl = mailCatcher.smtpUrl;
  }
  const keysPath = resolve(root, config.API_KEYS_PATH);
  const newAdminKey = existsSync(keysPath) ? undefined : createKeysFileWithAdmin(keysPath);
  const api = `http://${apiHost}:${apiPort}`;
  const shared = {
    TEMPORAL_ADDRESS: temporalAddress,
    TZ: 'UTC',
    API_KEYS_PATH: keysPath,
    SMTP_URL: smtpUrl,
    // Links in messages: to this API and, with the embedded server, to its Temporal UI.
    PUBLIC_BASE_URL: config.PUBLIC_BASE_URL || api,
    ...(config.TEMPORAL_UI_URL || !externalTemporal
      ? { TEMPORAL_UI_URL: config.TEMPORAL_UI_URL || `http://127.0.0.1:${uiPort}` }
      : {}),
  };
  startNode('worker', 'apps/worker/src/main.js', shared);
  startNode('api', 'apps/api/src/main.js', { ...shared, API_PORT: String(apiPort), API_HOST: apiHost });
  await waitForHttp(`${api}/health/ready`, 60_000);

  console.log(
    [
      '',
      'Support SLA engine is up:',
      `  API          ${api}`,
      `  OpenAPI      ${api}/docs  (JSON: ${api}/openapi.json)`,
      `  Metrics      ${api}/metrics (API), http://${config.WORKER_METRICS_ADDRESS}/metrics (worker)`,
      externalTemporal
        ? `  Temporal     ${externalTemporal} (external cluster)`
        : `  Temporal UI  http://127.0.0.1:${uiPort}`,
      externalTemporal ? '' : `  Temporal     ${temporalAddress} (dev server, data in ${dataDir})`,
      mailCatcher
        ? `  Mail inbox   ${mailCatcher.webUrl}  (every email the engine sends; SMTP ${mailCatcher.smtpUrl})`
        : `  Email        via ${maskUrl(smtpUrl)}`,
      newAdminKey
        ? `  Admin key    ${newAdminKey}\n               (shown once; only its hash is stored in ${keysPath})`
        : `  API keys     ${keysPath}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(`[stack] ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
