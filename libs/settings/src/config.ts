import { z } from 'zod';

/**
 * Every environment variable the API, the worker and `npm start` read, typed and range-checked in one
 * place and read once. A value that does not parse stops start-up naming the variable and the rule:
 * before this, `API_RATE_LIMIT_PER_MINUTE=600/min` became NaN and every request got 429 with
 * `Retry-After: NaN`, and other numbers fell back or misbehaved silently. `.env.example` lists the same
 * variables (a unit test keeps the two in step).
 */

/** An unset variable and an empty one mean the same: the default (shells and compose files write `X=`). */
const unsetIfBlank = (value: string | undefined) =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

/** A variable: blank means unset, `rule` checks a set value, `fallback` stands in for an unset one. */
function variable<T>(rule: z.ZodType<T, string>, fallback: T): z.ZodType<T, string | undefined>;
function variable<T>(rule: z.ZodType<T, string>): z.ZodType<T | undefined, string | undefined>;
function variable<T>(rule: z.ZodType<T, string>, fallback?: T) {
  return z
    .string()
    .optional()
    .transform(unsetIfBlank)
    .pipe(rule.optional())
    .transform((v) => v ?? fallback);
}

function int(min: number, max: number, fallback: number) {
  const rule = `must be a whole number from ${min} to ${max}`;
  return variable(
    z.string().regex(/^\d+$/, rule).transform(Number).pipe(z.number().min(min, rule).max(max, rule)),
    fallback,
  );
}

function text(fallback: string): z.ZodType<string, string | undefined>;
function text(): z.ZodType<string | undefined, string | undefined>;
function text(fallback?: string) {
  return fallback === undefined ? variable(z.string()) : variable(z.string(), fallback);
}

const hostPortRule = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233')
  .refine((v) => Number(v.slice(v.lastIndexOf(':') + 1)) <= 65_535, 'must be host:port with a port up to 65535');

function url(protocols: string[], example: string) {
  return variable(
    z.string().refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      `must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL, e.g. ${example}`,
    ),
  );
}

const bool = variable(z.enum(['true', 'false'], 'must be true or false'));

const PINO_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const TEMPORAL_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

const shape = {
  // --- API ---
  API_PORT: int(0, 65_535, 3000),
  API_HOST: text('127.0.0.1'),
  API_KEYS_PATH: text('config/api-keys.yaml'),
  /** 0: off. The bound keeps a typo (an extra zero or two) from switching the limit off in effect. */
  API_RATE_LIMIT_PER_MINUTE: int(0, 1_000_000, 600),
  API_WORKER_WAIT_MS: int(100, 600_000, 10_000),
  API_QUERY_WAIT_MS: int(100, 600_000, 3_000),
  API_ACCOUNT_CACHE_MS: int(0, 3_600_000, 2_000),
  /** Deadline of a request's Temporal calls (reads, lists, starts, describes); 503 + Retry-After beyond. */
  API_TEMPORAL_TIMEOUT_MS: int(100, 600_000, 5_000),
  /** `/health/ready` answers 503 within this when Temporal does not answer. */
  API_READY_TIMEOUT_MS: int(100, 60_000, 2_000),
  LOG_LEVEL: variable(z.enum(PINO_LEVELS, `must be one of ${PINO_LEVELS.join(', ')}`), 'info'),
  // --- notifications (docs/notifications.md; libs/notifications reads them, checked here at start-up too) ---
  SMTP_URL: url(['smtp:', 'smtps:'], 'smtp://mail.example:587'),
  SMTP_FROM: text(),
  PUBLIC_BASE_URL: url(['http:', 'https:'], 'https://sla.example'),
  TEMPORAL_UI_URL: url(['http:', 'https:'], 'https://temporal.example'),
  PEOPLE_DIRECTORY_PATH: text('config/people.yaml'),
  NOTIFICATION_TEMPLATES_DIR: text('config/templates'),

  // --- worker ---
  WORKER_METRICS_ADDRESS: variable(hostPortRule, '127.0.0.1:9464'),
  TEMPORAL_LOG_LEVEL: variable(z.enum(TEMPORAL_LEVELS, `must be one of ${TEMPORAL_LEVELS.join(', ')}`), 'INFO'),
  WORKER_MAX_CACHED_WORKFLOWS: int(0, 1_000_000, 10_000),

  // --- Temporal connection (API and worker) ---
  TEMPORAL_ADDRESS: variable(hostPortRule),
  TEMPORAL_NAMESPACE: text('default'),
  TEMPORAL_TLS_CERT_PATH: text(),
  TEMPORAL_TLS_KEY_PATH: text(),
  TEMPORAL_TLS_SERVER_NAME: text(),
  TEMPORAL_TLS: bool,
  TEMPORAL_API_KEY: text(),

  // --- local stack (`npm start`) ---
  TEMPORAL_PORT: int(1, 65_535, 7233),
  TEMPORAL_UI_PORT: int(1, 65_535, 8233),
  DATA_DIR: text('data'),
  MAIL_CATCHER_SMTP_PORT: int(1, 65_535, 1025),
  MAIL_CATCHER_WEB_PORT: int(1, 65_535, 1080),

  // --- toolchain ---
  TEMPORAL_CLI_PATH: text(),
  TEMPORAL_TEST_SERVER_PATH: text(),

  // --- policy ---
  SLA_POLICY_PATH: text('config/sla-policy.yaml'),
};

export const configSchema = z.object(shape).superRefine((c, ctx) => {
  if (Boolean(c.TEMPORAL_TLS_CERT_PATH) !== Boolean(c.TEMPORAL_TLS_KEY_PATH)) {
    const missing = c.TEMPORAL_TLS_CERT_PATH ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH';
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: 'must be set together with the other of TEMPORAL_TLS_CERT_PATH / TEMPORAL_TLS_KEY_PATH',
    });
  }
});

export type AppConfig = z.output<typeof configSchema>;

/** The names the schema knows: every one must appear in `.env.example` and the reverse. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(shape);

/** Values never echoed in an error (credentials may sit in them). */
const SECRET = /KEY|SECRET|PASSWORD|SMTP_URL/;

export class ConfigError extends Error {
  constructor(readonly problems: Array<{ variable: string; rule: string; value: string | undefined }>) {
    const shown = (p: { variable: string; value: string | undefined }) =>
      SECRET.test(p.variable) ? '(hidden)' : JSON.stringify(p.value ?? '');
    super(`invalid environment:\n${problems.map((p) => `  ${p.variable}=${shown(p)}: ${p.rule}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment; throws a ConfigError naming every bad variable and its rule. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '(environment)');
      return { variable, rule: issue.message, value: env[variable] };
    }),
  );
}

let cached: AppConfig | undefined;

/** The process' configuration, parsed from `process.env` on first use and kept (read once). */
export function appConfig(): AppConfig {
  cached ??= loadConfig(process.env);
  return cached;
}

/**
 * For entry points: the configuration, or exit 1 with the variables and rules on stderr. Runs before
 * the logger exists (LOG_LEVEL itself is one of the variables checked).
 */
export function appConfigOrExit(processName: string): AppConfig {
  try {
    return appConfig();
  } catch (error) {
    process.stderr.write(`${processName}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
