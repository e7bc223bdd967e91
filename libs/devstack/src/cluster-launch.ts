import { ChildProcess, spawn } from 'node:child_process';
import { stopChild, waitForHttp } from './processes';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createKeysFileWithAdmin, DEFAULT_KEYS_PATH } from '../../auth/src';
import {
  Cluster,
  clusterAppEnvironment,
  ClusterSetupError,
  ensureServerBinaries,
  pickClusterPorts,
  PortPicker,
  rssOf,
  startCluster,
  TEMPORAL_SERVER_VERSION,
} from './cluster';
import { projectRoot } from './project-root';

/**
 * `npm run cluster`: PostgreSQL, the four Temporal services and the UI (see cluster.ts), then two workers
 * and two API replicas against the frontend, as one foreground process. Ctrl-C stops everything, apps
 * first (the workers drain), then Temporal, then PostgreSQL. Data stays in .cluster/data for the next run.
 */
const root = projectRoot();
const env = process.env;
const dataDir = resolve(root, env.CLUSTER_DATA_DIR || join('.cluster', 'data'));
const children: Array<{ name: string; child: ChildProcess }> = [];
let cluster: Cluster | undefined;
let stopping = false;
const say = (line: string) => console.log(`[cluster] ${line}`);

function startNode(name: string, script: string, extraEnv: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist', script)], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream! }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[cluster] ${name} exited unexpectedly (${signal ?? code}); stopping everything`);
      void shutdown(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function shutdown(exitCode: number) {
  if (stopping) return;
  stopping = true;
  say('stopping: APIs, workers, Temporal services, PostgreSQL');
  await Promise.all(children.filter((c) => c.name.startsWith('api')).map((c) => stopChild(c.child, 15_000)));
  await Promise.all(children.filter((c) => !c.name.startsWith('api')).map((c) => stopChild(c.child, 30_000)));
  await cluster?.stop();
  say('stopped');
  process.exit(exitCode);
}

const mb = (bytes: number | undefined) => (bytes === undefined ? '-' : `${Math.round(bytes / 1048576)} MB`);

async function main() {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const t0 = Date.now();
  const binaries = ensureServerBinaries(say);
  const picker = new PortPicker();
  const ports = await pickClusterPorts(picker);
  const apiPorts = [
    await picker.pick(Number(env.API_PORT || 3000), 'API replica 1'),
    await picker.pick(Number(env.API_PORT || 3000) + 1, 'API replica 2'),
  ];
  const metricsPorts = [await picker.pick(9464, 'worker 1 metrics'), await picker.pick(9465, 'worker 2 metrics')];
  for (const line of picker.moved) say(line);
  say(
    `starting PostgreSQL and Temporal ${TEMPORAL_SERVER_VERSION} (frontend, history, matching, worker) in ${dataDir}`,
  );
  cluster = await startCluster(binaries, { dataDir, ports, namespace: env.TEMPORAL_NAMESPACE || 'default', log: say });
  const temporalReadyS = (Date.now() - t0) / 1000;
  const keysPath = resolve(root, env.API_KEYS_PATH || DEFAULT_KEYS_PATH);
  const newAdminKey = existsSync(keysPath) ? undefined : createKeysFileWithAdmin(keysPath);
  const where = { address: cluster.address, namespace: cluster.namespace, keysPath };
  metricsPorts.forEach((port, i) =>
    startNode(`worker-${i + 1}`, 'apps/worker/src/main.js', clusterAppEnvironment('worker', { ...where, port })),
  );
  apiPorts.forEach((port, i) =>
    startNode(`api-${i + 1}`, 'apps/api/src/main.js', clusterAppEnvironment('api', { ...where, port })),
  );
  await Promise.all(apiPorts.map((port) => waitForHttp(`http://127.0.0.1:${port}/health/ready`, 90_000)));
  const upS = (Date.now() - t0) / 1000;

  const rss = Object.entries(cluster.processes())
    .map(([name, p]) => [name, p?.process.pid] as const)
    .concat(children.map((c) => [c.name, c.child.pid] as const))
    .map(([name, pid]) => `${name} ${mb(rssOf(pid))}`)
    .join(', ');
  console.log(
    [
      '',
      `Support SLA engine on a Temporal ${TEMPORAL_SERVER_VERSION} cluster is up (Temporal ready in ${temporalReadyS.toFixed(1)} s, all in ${upS.toFixed(1)} s):`,
      ...apiPorts.map((port, i) => `  API ${i + 1}        http://127.0.0.1:${port}  (OpenAPI /docs, metrics /metrics)`),
      ...metricsPorts.map((port, i) => `  worker ${i + 1}     metrics http://127.0.0.1:${port}/metrics`),
      `  Temporal     ${cluster.address} (frontend gRPC, namespace ${cluster.namespace}); HTTP 127.0.0.1:${ports.frontendHttp}`,
      `               history 127.0.0.1:${ports.history}, matching 127.0.0.1:${ports.matching}, internal worker 127.0.0.1:${ports.worker}`,
      cluster.uiUrl ? `  Temporal UI  ${cluster.uiUrl}` : '  Temporal UI  not built (see the build output above)',
      `  PostgreSQL   127.0.0.1:${ports.postgres} (${cluster.postgresVersion}; user temporal, password in ${join(dataDir, 'postgres-password')})`,
      `  Logs         ${cluster.logDir}`,
      newAdminKey
        ? `  Admin key    ${newAdminKey}\n               (shown once; only its hash is stored in ${keysPath})`
        : `  API keys     ${keysPath}`,
      `  RSS          ${rss}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(
    `[cluster] ${error instanceof ClusterSetupError ? error.message : error instanceof Error ? error.stack : String(error)}`,
  );
  void shutdown(1);
});
