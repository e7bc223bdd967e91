import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { searchAttributeRegistrations } from '../../libs/contracts/src';
import { CONFIG_VARIABLES } from '../../libs/settings/src/config';
import {
  CLUSTER_DYNAMIC_CONFIG,
  clusterAppEnvironment,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_SERVICES,
  TEMPORAL_UI_VERSION,
} from '../../libs/devstack/src/cluster';

/**
 * docker-compose.yml and the Dockerfile cannot run here (no Docker): their structure is checked instead,
 * and held to what `npm run cluster` runs (versions, Temporal services, search attributes, app environment).
 * The list of environment variables comes from the sources themselves (apps/, libs/, activities/,
 * workflows/; not libs/devstack, the local `npm start` launcher, nor tests), so a new variable fails this
 * test until it is classified below.
 */
const ROOT = join(__dirname, '..', '..');
// merge: the app services share their settings through a YAML anchor and `<<: *app`.
const composeText = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true });
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const envExample = readFileSync(join(ROOT, '.env.example'), 'utf8');

/** Must be set in the environment of both the api and the worker services. */
const REQUIRED = ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'SLA_POLICY_PATH', 'API_HOST', 'API_PORT'];
/**
 * Read with a default that is right for the compose cluster (plaintext Temporal, UTC, default limits): may
 * be omitted from the compose file, but must be documented in .env.example. TZ is set by the Dockerfile.
 */
const WITH_DEFAULT = [
  'NOTIFICATION_TEMPLATES_DIR',
  'API_KEYS_PATH',
  'API_RATE_LIMIT_PER_MINUTE',
  'API_WORKER_WAIT_MS',
  'API_QUERY_WAIT_MS',
  'API_ACCOUNT_CACHE_MS',
  'API_TEMPORAL_TIMEOUT_MS',
  'API_READY_TIMEOUT_MS',
  'LOG_LEVEL',
  'TEMPORAL_LOG_LEVEL',
  'WORKER_METRICS_ADDRESS',
  'WORKER_MAX_CACHED_WORKFLOWS',
  'TZ',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CERT_PATH',
  'TEMPORAL_TLS_KEY_PATH',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_API_KEY',
];
/** Read by `npm start` and the toolchain setup only: no meaning in the compose cluster. */
const LOCAL_STACK = [
  'TEMPORAL_PORT',
  'TEMPORAL_UI_PORT',
  'DATA_DIR',
  'TEMPORAL_CLI_PATH',
  'TEMPORAL_TEST_SERVER_PATH',
  'MAIL_CATCHER_SMTP_PORT',
  'MAIL_CATCHER_WEB_PORT',
];
/** Optional features, off while unset (notification mail, links, the people directory). */
const OPTIONAL = ['SMTP_URL', 'SMTP_FROM', 'PUBLIC_BASE_URL', 'TEMPORAL_UI_URL', 'PEOPLE_DIRECTORY_PATH'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory())
      return ['node_modules', 'devstack', 'test-support', 'fixtures'].includes(name) ? [] : sources(path);
    return /\.ts$/.test(name) && !/\.(spec|test)\.ts$/.test(name) ? [path] : [];
  });
}

/** Variables read in the sources, and every variable of the config module (libs/settings/src/config.ts). */
function variablesRead(): Map<string, string[]> {
  const found = new Map<string, string[]>(CONFIG_VARIABLES.map((name) => [name, ['libs/settings/src/config.ts']]));
  for (const dir of ['apps', 'libs', 'activities', 'workflows']) {
    for (const file of sources(join(ROOT, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(
        /\b(?:process\.env|env)\.([A-Z][A-Z0-9_]+)\b|process\.env\[['"]([A-Z][A-Z0-9_]+)['"]\]/g,
      )) {
        const name = m[1] ?? m[2];
        found.set(name, [...(found.get(name) ?? []), relative(ROOT, file)]);
      }
    }
  }
  return found;
}

const appEnv = (service: string): Record<string, string> => compose.services[service].environment ?? {};

const TEMPORAL_SERVICE_NAMES = TEMPORAL_SERVICES.map((s) => `temporal-${s}`);
const image = (service: string): string => compose.services[service].image;
const command = (service: string): string => [compose.services[service].command].flat().join(' ');

describe('docker-compose.yml', () => {
  it('has the services of the self-hosted cluster: PostgreSQL, schema job, one container per Temporal service, namespace job, UI, apps', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'api',
        'postgresql',
        'temporal-schema',
        ...TEMPORAL_SERVICE_NAMES,
        'temporal-create-namespace',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    for (const name of TEMPORAL_SERVICE_NAMES) {
      expect({ name, services: compose.services[name].environment.TEMPORAL_SERVICES }).toEqual({
        name,
        services: name.replace('temporal-', ''),
      });
    }
    const auto = Object.values<{ image?: string }>(compose.services).filter((s) => /auto-setup/.test(s.image ?? ''));
    expect(auto).toEqual([]);
  });

  it('uses the Temporal server and UI versions that npm run cluster builds', () => {
    for (const name of TEMPORAL_SERVICE_NAMES) expect(image(name)).toBe(`temporalio/server:${TEMPORAL_SERVER_VERSION}`);
    expect(image('temporal-schema')).toBe(`temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`);
    expect(image('temporal-create-namespace')).toBe(`temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`);
    expect(image('temporal-ui')).toBe(`temporalio/ui:${TEMPORAL_UI_VERSION}`);
  });

  it('gives every Temporal service the dynamic config of the cluster script', () => {
    expect(parse(compose.configs['temporal-dynamic-config'].content)).toEqual(CLUSTER_DYNAMIC_CONFIG);
    for (const name of TEMPORAL_SERVICE_NAMES) {
      const [mount] = compose.services[name].configs;
      expect(mount.source).toBe('temporal-dynamic-config');
      expect(mount.target).toBe(`/etc/temporal/${compose.services[name].environment.DYNAMIC_CONFIG_FILE_PATH}`);
    }
  });

  it('migrates both schemas with temporal-sql-tool, as the cluster script does', () => {
    const sql = command('temporal-schema');
    for (const step of ['create-database', 'setup-schema -v 0.0', 'update-schema --schema-name'])
      expect(sql).toContain(step);
    expect(sql).toContain('temporal:postgresql/v12/temporal');
    expect(sql).toContain('temporal_visibility:postgresql/v12/visibility');
    expect(compose.services['temporal-schema'].environment.SQL_PLUGIN).toBe('postgres12');
    for (const name of TEMPORAL_SERVICE_NAMES) {
      expect(compose.services[name].depends_on?.['temporal-schema']?.condition).toBe('service_completed_successfully');
      expect(compose.services[name].environment).toMatchObject({
        DB: 'postgres12',
        POSTGRES_SEEDS: 'postgresql',
        PUBLIC_FRONTEND_ADDRESS: 'temporal-frontend:7233',
      });
    }
  });

  it('publishes the API, Temporal gRPC and the UI on loopback only, and runs two worker replicas', () => {
    const published = Object.entries<{ ports?: string[] }>(compose.services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => `${name} ${p}`),
    );
    expect(published.sort()).toEqual([
      'api 127.0.0.1:3000:3000',
      'temporal-frontend 127.0.0.1:7233:7233',
      'temporal-ui 127.0.0.1:8080:8080',
    ]);
    expect(compose.services.worker.deploy?.replicas).toBe(2);
    expect(compose.services.api.command).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(compose.services.worker.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
  });

  it('says how to put Temporal and the UI behind authentication before publishing them further', () => {
    const header = composeText.split(/^name:/m)[0];
    expect(header).toMatch(/127\.0\.0\.1/);
    expect(header).toMatch(/authentication/i);
    expect(header).toMatch(/mTLS/);
    expect(header).toMatch(/OIDC|single sign-on/);
  });

  it('builds api and worker from the project Dockerfile and starts them after the namespace job', () => {
    for (const service of ['api', 'worker']) {
      expect(compose.services[service].build).toBeDefined();
      expect(compose.services[service].depends_on?.['temporal-create-namespace']?.condition).toBe(
        'service_completed_successfully',
      );
    }
    expect(compose.services['temporal-create-namespace'].depends_on?.['temporal-frontend']?.condition).toBe(
      'service_healthy',
    );
    expect(compose.services['temporal-schema'].depends_on?.postgresql?.condition).toBe('service_healthy');
  });

  it('creates the namespace and registers exactly the search attributes of libs/contracts (those the cluster script registers)', () => {
    const job = command('temporal-create-namespace');
    const registered = [...job.matchAll(/\b(Sla[A-Za-z]+)=(Keyword|Int|Datetime|Text|Bool|Double|KeywordList)\b/g)].map(
      (m) => `${m[1]}=${m[2]}`,
    );
    expect(registered.sort()).toEqual(searchAttributeRegistrations().sort());
    expect(job).toContain('temporal operator namespace create --namespace default');
    expect(job).toContain('temporal operator search-attribute create');
  });

  it.each(['api', 'worker'] as const)(
    'sets for the %s every variable npm run cluster sets (TZ: the Dockerfile)',
    (role) => {
      const fromCluster = Object.keys(
        clusterAppEnvironment(role, { address: 'a', namespace: 'n', keysPath: 'k', port: 1 }),
      ).filter((name) => name !== 'TZ');
      const missing = fromCluster.filter((name) => appEnv(role)[name] === undefined);
      expect(missing).toEqual([]);
      expect(appEnv(role).TEMPORAL_ADDRESS).toBe('temporal-frontend:7233');
    },
  );

  it('classifies every environment variable the apps read', () => {
    const read = [...variablesRead().keys()].sort();
    const classified = [...REQUIRED, ...WITH_DEFAULT, ...LOCAL_STACK, ...OPTIONAL];
    const unclassified = read.filter((name) => !classified.includes(name));
    expect(unclassified).toEqual([]);
    // And the lists hold nothing the apps stopped reading.
    expect(classified.filter((name) => !read.includes(name))).toEqual([]);
  });

  it.each(['api', 'worker'])('sets every required variable for the %s', (service) => {
    const env = appEnv(service);
    for (const name of REQUIRED) expect({ name, value: env[name] }).toEqual({ name, value: expect.any(String) });
    expect(env.TEMPORAL_ADDRESS).toBe('temporal-frontend:7233');
    expect(env.API_HOST).toBe('0.0.0.0');
    expect(env.API_PORT).toBe('3000');
  });

  it('documents in .env.example every variable it leaves to its default (TZ: set by the Dockerfile)', () => {
    const undocumented = WITH_DEFAULT.filter(
      (name) => name !== 'TZ' && !new RegExp(`^#?\\s*${name}=`, 'm').test(envExample),
    );
    expect(undocumented).toEqual([]);
    expect(dockerfile).toMatch(/^ENV .*\bTZ=UTC\b/m);
  });

  it('gives the apps the webhook secrets the policy names', () => {
    const policy = parse(readFileSync(join(ROOT, 'config', 'sla-policy.yaml'), 'utf8'));
    const secrets: string[] = (policy.subscribers ?? []).map((s: { secretEnv: string }) => s.secretEnv);
    for (const name of secrets) {
      expect(appEnv('worker')[name]).toBeDefined();
    }
  });
});

describe('Dockerfile', () => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const final = stages[stages.length - 1];

  it('is multi-stage and Debian-based (core-bridge has glibc builds only)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      const image = stage.split(/\s/)[0];
      expect(image).not.toMatch(/alpine/i);
      expect(image).toMatch(/bookworm|bullseye|trixie|debian/);
    }
    expect(final).toMatch(/COPY --from=build/);
  });

  it('runs as a non-root user with a health check in the final stage', () => {
    const user = /^USER\s+(\S+)/m.exec(final)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(final).toMatch(/^HEALTHCHECK\s+.*CMD\s+/m);
    expect(final).toMatch(/\/health\/live/);
  });

  it('leaves the API health check off the worker (it serves no HTTP)', () => {
    const hc = compose.services.worker.healthcheck;
    expect(hc?.disable === true || Array.isArray(hc?.test)).toBe(true);
  });
});
