import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { stringify } from 'yaml';
import { SA } from '../../contracts/src/search-attributes';
import { WORKFLOW_TYPES } from '../../contracts/src/vocabulary';
import { projectRoot } from './project-root';

/**
 * A multi-service Temporal cluster on PostgreSQL with nothing but registries: the server and
 * temporal-sql-tool are built from the Go module proxy at one pinned version, PostgreSQL is Debian's
 * package started in a private data directory, and frontend, history, matching and the internal worker
 * run as separate processes from one generated config. Used by `npm run cluster`, the cluster drills and
 * the scale bench.
 */

/** One pinned server version for the build, the compose images and the structure test (test/deploy). */
export const TEMPORAL_SERVER_VERSION = '1.30.4';
/** The Temporal UI server module (the UI's assets are embedded in it); also the compose UI image tag. */
// 2.55.0: the newest whose go.mod accepts the Go 1.26.8 installed here (2.56 and later declare go 1.26.9+).
export const TEMPORAL_UI_VERSION = '2.55.0';
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

export const INSTALL_GO =
  'apt-get update && apt-get install -y golang-go   (Temporal 1.30.4 needs Go >= 1.25.8; a Go >= 1.21, as in Debian 13, fetches that toolchain from the Go module proxy by itself; Debian 12 ships 1.19, too old: take Go from go.dev/dl)';
export const INSTALL_POSTGRES = 'apt-get update && apt-get install -y postgresql';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ClusterSetupError extends Error {}

function which(name: string, extraDirs: string[] = []): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...extraDirs]) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `.cluster/` in the project: binaries and the data of `npm run cluster` (git-ignored). */
export function clusterHome(): string {
  return join(projectRoot(), '.cluster');
}

export interface ServerBinaries {
  server: string;
  sqlTool: string;
  ui?: string;
}

/**
 * temporal-server and temporal-sql-tool for the pinned version, built once with `go install` into
 * `.cluster/bin/<version>/` (the first build takes minutes on 2 cores; later runs find the binaries).
 * The UI server is built the same way; a failed UI build is not fatal (the cluster runs without it).
 */
export function ensureServerBinaries(
  log: (line: string) => void = () => undefined,
  options: { ui?: boolean } = {},
): ServerBinaries {
  const dir = join(clusterHome(), 'bin', `v${TEMPORAL_SERVER_VERSION}`);
  const server = join(dir, 'temporal-server');
  const sqlTool = join(dir, 'temporal-sql-tool');
  const uiDir = join(clusterHome(), 'bin', `ui-v${TEMPORAL_UI_VERSION}`);
  const ui = join(uiDir, 'temporal-ui-server');
  const needServer = !isFile(server) || !isFile(sqlTool);
  const uiFailedMarker = join(uiDir, 'build-failed');
  // Drills and benches need no UI: they never build it.
  const needUi = options.ui !== false && !isFile(ui) && !existsSync(uiFailedMarker);
  if (needServer || needUi) {
    const go = which('go', ['/usr/local/go/bin', '/usr/lib/go/bin']);
    if (!go && !needServer) {
      log('no Go to build the Temporal UI server: the cluster runs without a UI');
      return { server, sqlTool };
    }
    if (!go)
      throw new ClusterSetupError(`Go is needed to build the Temporal server (once). Install it:\n  ${INSTALL_GO}`);
    const build = (gobin: string, packages: string[]) => {
      mkdirSync(gobin, { recursive: true });
      log(`building ${packages.join(' ')} with ${go} (once; several minutes on 2 cores)`);
      // go install pkg@version builds outside any module (no go.mod of ours); an older Go fetches the toolchain the
      // module declares.
      const result = spawnSync(go, ['install', ...packages], {
        env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      return result.status === 0;
    };
    if (needServer) {
      const ok = build(dir, [
        `go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
        `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
      ]);
      if (!ok)
        throw new ClusterSetupError(
          `go install of go.temporal.io/server@v${TEMPORAL_SERVER_VERSION} failed (see above)`,
        );
      renameSync(join(dir, 'server'), server);
      renameSync(join(dir, 'sql'), sqlTool);
    }
    if (needUi) {
      if (build(uiDir, [`github.com/temporalio/ui-server/v2/cmd/server@v${TEMPORAL_UI_VERSION}`]))
        renameSync(join(uiDir, 'server'), ui);
      else {
        writeFileSync(uiFailedMarker, 'delete this file to try the UI build again\n');
        log('the Temporal UI server did not build: the cluster runs without a UI');
      }
    }
  }
  return { server, sqlTool, ui: isFile(ui) ? ui : undefined };
}

/** PostgreSQL's server programs: PATH first, then Debian's versioned folders (newest first). */
export function findPostgres(): { initdb: string; postgres: string; version: string } {
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
    : [];
  for (const dir of [...debian, ...(process.env.PATH ?? '').split(delimiter)]) {
    if (dir && isFile(join(dir, 'initdb')) && isFile(join(dir, 'postgres'))) {
      const version = spawnSync(join(dir, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim();
      return { initdb: join(dir, 'initdb'), postgres: join(dir, 'postgres'), version };
    }
  }
  throw new ClusterSetupError(`PostgreSQL's server is needed (initdb, postgres). Install it:\n  ${INSTALL_POSTGRES}`);
}

/** Whether something listens on (or holds) the port on loopback. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Hands out loopback ports: the preferred one when free, else the next free one (never the same twice). */
export class PortPicker {
  private readonly taken = new Set<number>();
  readonly moved: string[] = [];
  async pick(preferred: number, what: string): Promise<number> {
    for (let port = preferred; port < preferred + 200; port++) {
      if (this.taken.has(port) || !(await portFree(port))) continue;
      this.taken.add(port);
      if (port !== preferred) this.moved.push(`${what}: port ${preferred} is in use, using ${port}`);
      return port;
    }
    throw new ClusterSetupError(`no free port for ${what} in ${preferred}-${preferred + 199}`);
  }
}

export interface ClusterPorts {
  postgres: number;
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  membership: Record<TemporalService, number>;
  ui: number;
}

/** Preferred ports (a port in use moves to the next free one). PostgreSQL avoids 5432, a system server's. */
export const PREFERRED_PORTS = {
  postgres: 5433,
  frontend: 7233,
  frontendHttp: 7243,
  history: 7234,
  matching: 7235,
  worker: 7239,
  membership: 6933,
  ui: 8080,
};

export async function pickClusterPorts(
  picker = new PortPicker(),
  base: Partial<typeof PREFERRED_PORTS> = {},
): Promise<ClusterPorts> {
  const p = { ...PREFERRED_PORTS, ...base };
  return {
    postgres: await picker.pick(p.postgres, 'PostgreSQL'),
    frontend: await picker.pick(p.frontend, 'Temporal frontend (gRPC)'),
    frontendHttp: await picker.pick(p.frontendHttp, 'Temporal frontend (HTTP)'),
    history: await picker.pick(p.history, 'Temporal history'),
    matching: await picker.pick(p.matching, 'Temporal matching'),
    worker: await picker.pick(p.worker, 'Temporal internal worker'),
    membership: {
      frontend: await picker.pick(p.membership, 'frontend membership'),
      history: await picker.pick(p.membership + 1, 'history membership'),
      matching: await picker.pick(p.membership + 2, 'matching membership'),
      worker: await picker.pick(p.membership + 6, 'worker membership'),
    },
    ui: await picker.pick(p.ui, 'Temporal UI'),
  };
}

export interface ManagedProcess {
  name: string;
  process: ChildProcess;
  exited: Promise<string>;
  running(): boolean;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<string>;
}

function spawnManaged(
  name: string,
  command: string,
  args: string[],
  logFile: string,
  options: { uid?: number; gid?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): ManagedProcess {
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, {
    stdio: ['ignore', out, out],
    uid: options.uid,
    gid: options.gid,
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  closeSync(out);
  let state: string | undefined;
  const exited = new Promise<string>((r) =>
    child.once('exit', (code, signal) => {
      state = signal ?? String(code);
      r(state);
    }),
  );
  // Never leave a server behind when the owning process ends without stopping it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
  return {
    name,
    process: child,
    exited,
    running: () => state === undefined,
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) {
      if (state === undefined) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
  };
}

/** Resident set size of a process in bytes (Linux /proc); undefined when gone. */
export function rssOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface ClusterOptions {
  /** Data, config and logs; reused across runs (PostgreSQL's data directory lives here). */
  dataDir: string;
  ports?: ClusterPorts;
  namespace?: string;
  /** Start the UI server when it built (default true). */
  ui?: boolean;
  log?: (line: string) => void;
}

export interface Cluster {
  address: string;
  namespace: string;
  ports: ClusterPorts;
  dataDir: string;
  logDir: string;
  uiUrl?: string;
  postgresVersion: string;
  processes(): Record<string, ManagedProcess | undefined>;
  /** Stops (signal, default SIGTERM) and starts again one Temporal service, on the same ports and config. */
  killService(service: TemporalService, signal?: NodeJS.Signals): Promise<void>;
  startService(service: TemporalService): Promise<void>;
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  waitUntilServing(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const DB_USER = 'temporal';

/**
 * Dynamic config of the cluster (docker-compose.yml mounts the same values; the structure test compares them).
 * Visibility calls are limited per frontend and namespace, 10 a second by default: the IHR report makes
 * one count per group and per state of a non-empty group (about 20 by plan, 5 per account by account)
 * and every list page is one call, so the default throttles a report to seconds and the lists behind it.
 */
export const CLUSTER_DYNAMIC_CONFIG: Record<string, Array<{ value: unknown; constraints: Record<string, unknown> }>> = {
  'frontend.namespaceRPS.visibility': [{ value: 200, constraints: {} }],
  // Search attributes registered a moment ago are usable at once (as the dev server does), not after the cache refresh.
  'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true, constraints: {} }],
};

/**
 * The environment `npm run cluster` gives its worker and API replicas (docker-compose.yml sets the same
 * names: test/deploy/compose.test.ts holds the two together).
 */
export function clusterAppEnvironment(
  role: 'api' | 'worker',
  options: { address: string; namespace: string; keysPath: string; port: number },
): Record<string, string> {
  const shared = {
    TEMPORAL_ADDRESS: options.address,
    TEMPORAL_NAMESPACE: options.namespace,
    API_KEYS_PATH: options.keysPath,
    TZ: 'UTC',
  };
  return role === 'api'
    ? { ...shared, API_HOST: '127.0.0.1', API_PORT: String(options.port) }
    : { ...shared, WORKER_METRICS_ADDRESS: `127.0.0.1:${options.port}` };
}

/**
 * Brings up PostgreSQL (initdb on first use), the two schemas, the four Temporal services, the namespace
 * with the engine's search attributes and, when built, the UI. Resolves when the frontend answers for the
 * namespace with the attributes registered.
 */
export async function startCluster(binaries: ServerBinaries, options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? (() => undefined);
  const namespace = options.namespace ?? 'default';
  const dataDir = options.dataDir;
  const logDir = join(dataDir, 'logs');
  const pgData = join(dataDir, 'postgres');
  const pgSocketDir = join(dataDir, 'postgres-socket');
  mkdirSync(logDir, { recursive: true });
  const ports = options.ports ?? (await pickClusterPorts());
  const pg = findPostgres();

  // PostgreSQL refuses to run as root: as root, its data directory belongs to the postgres user.
  const asRoot = process.getuid?.() === 0;
  let uid: number | undefined;
  let gid: number | undefined;
  if (asRoot) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    uid = id('-u');
    gid = id('-g');
    if (!Number.isInteger(uid) || !Number.isInteger(gid))
      throw new ClusterSetupError(`run as root, PostgreSQL needs the postgres user (created by: ${INSTALL_POSTGRES})`);
  }
  const passwordFile = join(dataDir, 'postgres-password');
  if (!existsSync(join(pgData, 'PG_VERSION'))) {
    mkdirSync(pgData, { recursive: true, mode: 0o700 });
    // A password of this cluster's own (not a shared default), readable by this user only.
    writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
    const pwForInitdb = join(pgData, '..', 'postgres-initdb-pw');
    writeFileSync(pwForInitdb, readFileSync(passwordFile), { mode: 0o600 });
    if (asRoot) {
      chownSync(pgData, uid!, gid!);
      chownSync(pwForInitdb, uid!, gid!);
    }
    log(`initdb ${pgData} (${pg.version})`);
    const init = spawnSync(
      pg.initdb,
      [
        '-D',
        pgData,
        '-U',
        DB_USER,
        `--pwfile=${pwForInitdb}`,
        '--auth-local=scram-sha-256',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
      ],
      {
        uid,
        gid,
        encoding: 'utf8',
      },
    );
    spawnSync('rm', ['-f', pwForInitdb]);
    if (init.status !== 0) throw new ClusterSetupError(`initdb failed: ${init.stderr || init.stdout}`);
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  mkdirSync(pgSocketDir, { recursive: true });
  if (asRoot) chownSync(pgSocketDir, uid!, gid!);

  let postgres: ManagedProcess | undefined;
  const startPostgres = async () => {
    postgres = spawnManaged(
      'postgres',
      pg.postgres,
      [
        '-D',
        pgData,
        '-p',
        String(ports.postgres),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${pgSocketDir}`,
        '-c',
        'max_connections=200',
        '-c',
        'fsync=on',
      ],
      join(logDir, 'postgres.log'),
      { uid, gid },
    );
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (!postgres.running())
        throw new ClusterSetupError(`PostgreSQL exited during start-up; see ${join(logDir, 'postgres.log')}`);
      if (!(await portFree(ports.postgres))) {
        const ready = spawnSync(
          join(pg.postgres, '..', 'pg_isready'),
          ['-h', '127.0.0.1', '-p', String(ports.postgres)],
          { encoding: 'utf8' },
        );
        if (ready.status === 0 || ready.error) return;
      }
      await sleep(200);
    }
    throw new ClusterSetupError(`PostgreSQL did not accept connections on 127.0.0.1:${ports.postgres} within 60 s`);
  };
  await startPostgres();

  const sql = (database: string, args: string[]) => {
    const result = spawnSync(
      binaries.sqlTool,
      [
        '--plugin',
        'postgres12',
        '--ep',
        '127.0.0.1',
        '--port',
        String(ports.postgres),
        '--user',
        DB_USER,
        '--password',
        password,
        '--db',
        database,
        ...args,
      ],
      {
        encoding: 'utf8',
      },
    );
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
  };
  for (const [database, schema] of [
    ['temporal', 'postgresql/v12/temporal'],
    ['temporal_visibility', 'postgresql/v12/visibility'],
  ]) {
    const created = sql(database, ['create-database']);
    if (!created.ok && !/already exists/.test(created.output))
      throw new ClusterSetupError(`create-database ${database} failed: ${created.output}`);
    // setup-schema -v 0.0 creates the version tables once; update-schema then applies every versioned step
    // (idempotent).
    const versioned = sql(database, ['setup-schema', '-v', '0.0']);
    if (!versioned.ok && !/already exists/.test(versioned.output))
      throw new ClusterSetupError(`setup-schema ${database} failed: ${versioned.output}`);
    const updated = sql(database, ['update-schema', '--schema-name', schema]);
    if (!updated.ok) throw new ClusterSetupError(`update-schema ${database} failed: ${updated.output}`);
  }
  log(`schemas temporal and temporal_visibility migrated (temporal-sql-tool ${TEMPORAL_SERVER_VERSION})`);

  const configFile = join(dataDir, 'temporal.yaml');
  const dynamicConfigFile = join(dataDir, 'dynamicconfig.yaml');
  writeFileSync(configFile, stringify(serverConfig(ports, password, dynamicConfigFile)), { mode: 0o600 });
  writeFileSync(dynamicConfigFile, stringify(CLUSTER_DYNAMIC_CONFIG));

  const services: Partial<Record<TemporalService, ManagedProcess>> = {};
  const startService = async (service: TemporalService) => {
    services[service] = spawnManaged(
      `temporal-${service}`,
      binaries.server,
      ['--config-file', configFile, '--allow-no-auth', 'start', '--service', service],
      join(logDir, `temporal-${service}.log`),
    );
  };
  // One at a time, each once its membership port listens (the internal worker serves no gRPC): started
  // together on a fresh database, the services race to write the cluster metadata record and the losers exit.
  const grpcPort = ports.membership;
  try {
    for (const service of TEMPORAL_SERVICES) {
      await startService(service);
      const deadline = Date.now() + 90_000;
      while (await portFree(grpcPort[service])) {
        if (!services[service]!.running())
          throw new ClusterSetupError(
            `temporal ${service} exited during start-up; see ${join(logDir, `temporal-${service}.log`)}`,
          );
        if (Date.now() > deadline)
          throw new ClusterSetupError(
            `temporal ${service} did not listen on 127.0.0.1:${grpcPort[service]} (membership) within 90 s; see ${join(logDir, `temporal-${service}.log`)}`,
          );
        await sleep(200);
      }
    }
  } catch (error) {
    for (const service of TEMPORAL_SERVICES) await services[service]?.stop('SIGTERM', 10_000);
    await postgres?.stop('SIGINT', 30_000);
    throw error;
  }

  const address = `127.0.0.1:${ports.frontend}`;
  let ui: ManagedProcess | undefined;
  const cluster: Cluster = {
    address,
    namespace,
    ports,
    dataDir,
    logDir,
    postgresVersion: pg.version,
    processes: () => ({
      postgres,
      ...Object.fromEntries(TEMPORAL_SERVICES.map((s) => [`temporal-${s}`, services[s]])),
      ...(ui ? { 'temporal-ui': ui } : {}),
    }),
    async killService(service, signal = 'SIGTERM') {
      await services[service]?.stop(signal);
    },
    startService,
    async stopPostgres() {
      // SIGINT: PostgreSQL's fast shutdown (open connections are cut, as in a restart).
      await postgres?.stop('SIGINT', 30_000);
    },
    startPostgres,
    waitUntilServing: (timeoutMs = 120_000) =>
      waitForFrontend(address, namespace, timeoutMs, () => TEMPORAL_SERVICES.find((s) => !services[s]?.running())),
    async stop() {
      await ui?.stop();
      // Frontend first (clients get a clean refusal), history last but one, PostgreSQL last.
      for (const service of ['frontend', 'worker', 'matching', 'history'] as const)
        await services[service]?.stop('SIGTERM', 20_000);
      await postgres?.stop('SIGINT', 30_000);
    },
  };
  try {
    await registerNamespace(address, namespace, () => TEMPORAL_SERVICES.find((s) => !services[s]?.running()), logDir);
    await cluster.waitUntilServing();
    if (options.ui !== false && binaries.ui) {
      const uiConfigDir = join(dataDir, 'ui-config');
      mkdirSync(uiConfigDir, { recursive: true });
      writeFileSync(
        join(uiConfigDir, 'development.yaml'),
        // No news fetch: the UI would call out to the internet on every page.
        stringify({
          temporalGrpcAddress: address,
          host: '127.0.0.1',
          port: ports.ui,
          enableUi: true,
          disableNewsFetch: true,
          cors: { allowOrigins: [], cookieInsecure: true },
          defaultNamespace: namespace,
        }),
      );
      ui = spawnManaged(
        'temporal-ui',
        binaries.ui,
        ['--root', dataDir, '--config', 'ui-config', '--env', 'development', 'start'],
        join(logDir, 'temporal-ui.log'),
      );
      cluster.uiUrl = `http://127.0.0.1:${ports.ui}`;
    }
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

function serverConfig(ports: ClusterPorts, password: string, dynamicConfigFile: string) {
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${ports.postgres}`,
      connectProtocol: 'tcp',
      user: DB_USER,
      password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra: Record<string, unknown> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnIP: '127.0.0.1', ...extra },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      // Fixed for the life of the data: changing it needs a new database.
      numHistoryShards: 4,
      datastores: { default: store('temporal', 20), visibility: store('temporal_visibility', 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: rpc(ports.frontend, ports.membership.frontend, { httpPort: ports.frontendHttp }),
      history: rpc(ports.history, ports.membership.history),
      matching: rpc(ports.matching, ports.membership.matching),
      worker: rpc(ports.worker, ports.membership.worker),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

const { IndexedValueType } = temporal.api.enums.v1;
const INDEXED_TYPE: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/**
 * The namespace (3 days' retention, like the dev server's default) and the engine's search attributes, both idempotent.
 */
async function registerNamespace(
  address: string,
  namespace: string,
  deadService: () => string | undefined,
  logDir: string,
): Promise<void> {
  const deadline = Date.now() + 180_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const dead = deadService();
    if (dead)
      throw new ClusterSetupError(
        `temporal ${dead} exited during start-up; see ${join(logDir, `temporal-${dead}.log`)}`,
      );
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs(3 * 86400_000),
        });
      } catch (error) {
        if (!/already exists|AlreadyExists/i.test(String(error))) throw error;
      }
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      const missing = Object.fromEntries(
        Object.values(SA)
          .filter((key) => !(customAttributes && key.name in customAttributes))
          .map((key) => [key.name, INDEXED_TYPE[key.type]]),
      );
      if (Object.keys(missing).length > 0)
        await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await connection?.close();
    }
    await sleep(1_000);
  }
  throw new ClusterSetupError(`could not register namespace ${namespace} at ${address}: ${String(lastError)}`);
}

/**
 * The frontend answers for the namespace with every search attribute registered, and history serves (a list call
 * reaches it).
 */
async function waitForFrontend(
  address: string,
  namespace: string,
  timeoutMs: number,
  deadService: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const dead = deadService();
    if (dead) throw new ClusterSetupError(`temporal ${dead} is not running`);
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      const missing = Object.values(SA).filter((key) => !(customAttributes && key.name in customAttributes));
      if (missing.length === 0) {
        const query = `WorkflowType = "${WORKFLOW_TYPES.incident}"`;
        await connection.workflowService.countWorkflowExecutions({ namespace, query });
        return;
      }
      lastError = new Error(`search attributes not registered yet: ${missing.map((k) => k.name).join(', ')}`);
    } catch (error) {
      lastError = error;
    } finally {
      await connection?.close();
    }
    await sleep(500);
  }
  throw new ClusterSetupError(
    `Temporal at ${address} not serving namespace ${namespace} within ${timeoutMs} ms: ${String(lastError)}`,
  );
}

/**
 * Free ports away from those a running `npm run cluster` or `npm start` prefers, below 32768: Temporal
 * stores membership ports as a PostgreSQL smallint, so the OS's ephemeral ports (32768 and up) are refused.
 */
export async function freeClusterPorts(): Promise<ClusterPorts> {
  const base = 20_000 + Math.floor(Math.random() * 90) * 100;
  return pickClusterPorts(new PortPicker(), {
    postgres: base,
    frontend: base + 10,
    frontendHttp: base + 20,
    history: base + 30,
    matching: base + 40,
    worker: base + 50,
    membership: base + 60,
    ui: base + 80,
  });
}

/**
 * A throwaway cluster (drills, benches) in a temporary folder removed by `close`, on free ports, no UI;
 * TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE of this process point at it (the drill stack reads them).
 */
export async function startTemporaryCluster(
  log: (line: string) => void = (line) => console.log(`[cluster] ${line}`),
): Promise<{ cluster: Cluster; close(): Promise<void> }> {
  const binaries = ensureServerBinaries(log, { ui: false });
  const dataDir = mkdtempSync(join(tmpdir(), 'sla-cluster-'));
  // Run as root, PostgreSQL runs as the postgres user, which must reach its data directory inside.
  chmodSync(dataDir, 0o755);
  // On failure the logs stay in dataDir for the reader: the error names the one to read.
  const cluster = await startCluster(binaries, { dataDir, ports: await freeClusterPorts(), ui: false, log });
  process.env.TEMPORAL_ADDRESS = cluster.address;
  process.env.TEMPORAL_NAMESPACE = cluster.namespace;
  return {
    cluster,
    async close() {
      await cluster.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
