import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config';

const envExample = readFileSync(join(__dirname, '..', '..', '..', '.env.example'), 'utf8');
/** `NAME=value` lines, commented (`# NAME=`) or not. */
const documented = [...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
/** The uncommented assignments: the documented defaults. */
const documentedDefaults = Object.fromEntries(
  [...envExample.matchAll(/^([A-Z][A-Z0-9_]+)=(\S*)/gm)].map((m) => [m[1], m[2]]),
);
/** Declared for the notification and directory settings; their documentation comes with that change. */
const DOCUMENTED_ELSEWHERE: string[] = [];

function problemsOf(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration (environment variables)', () => {
  it('covers every variable of .env.example, and documents every variable it reads', () => {
    expect(documented.filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
    expect(
      CONFIG_VARIABLES.filter((name) => !documented.includes(name) && !DOCUMENTED_ELSEWHERE.includes(name)),
    ).toEqual([]);
  });

  it('has the defaults .env.example documents', () => {
    expect(loadConfig(documentedDefaults)).toEqual(loadConfig({}));
    expect(loadConfig({})).toMatchObject({
      API_PORT: 3000,
      API_RATE_LIMIT_PER_MINUTE: 600,
      LOG_LEVEL: 'info',
      TEMPORAL_NAMESPACE: 'default',
    });
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ API_RATE_LIMIT_PER_MINUTE: '', TEMPORAL_ADDRESS: ' ' })).toMatchObject({
      API_RATE_LIMIT_PER_MINUTE: 600,
      TEMPORAL_ADDRESS: undefined,
    });
  });

  it('refuses API_RATE_LIMIT_PER_MINUTE=600/min naming the variable and the rule (was NaN: every request 429, Retry-After: NaN)', () => {
    expect(problemsOf({ API_RATE_LIMIT_PER_MINUTE: '600/min' })).toEqual([
      { variable: 'API_RATE_LIMIT_PER_MINUTE', rule: 'must be a whole number from 0 to 1000000', value: '600/min' },
    ]);
    expect(() => loadConfig({ API_RATE_LIMIT_PER_MINUTE: '600/min' })).toThrow(
      /API_RATE_LIMIT_PER_MINUTE="600\/min": must be a whole number from 0 to 1000000/,
    );
  });

  it.each([
    ['API_PORT', '70000'],
    ['API_PORT', '3000abc'],
    ['API_WORKER_WAIT_MS', '10s'],
    ['API_WORKER_WAIT_MS', '5'],
    ['API_QUERY_WAIT_MS', '-1'],
    ['API_ACCOUNT_CACHE_MS', '1.5'],
    ['API_TEMPORAL_TIMEOUT_MS', '0'],
    ['API_READY_TIMEOUT_MS', 'soon'],
    ['LOG_LEVEL', 'verbose'],
    ['TEMPORAL_LOG_LEVEL', 'LOUD'],
    ['WORKER_MAX_CACHED_WORKFLOWS', '-1'],
    ['WORKER_METRICS_ADDRESS', '9464'],
    ['TEMPORAL_ADDRESS', 'http://temporal:7233'],
    ['TEMPORAL_TLS', 'yes'],
    ['TEMPORAL_PORT', '0'],
    ['TEMPORAL_UI_PORT', '99999'],
    ['SMTP_URL', 'mail.example:25'],
    ['PUBLIC_BASE_URL', 'ftp://sla.example'],
    ['TEMPORAL_UI_URL', 'not a url'],
  ])('refuses %s=%s naming it', (variable, value) => {
    const problems = problemsOf({ [variable]: value });
    expect(problems.map((p) => p.variable)).toEqual([variable]);
    expect(problems[0].rule).toMatch(/^must /);
  });

  it('accepts the optional URLs and the TLS pair', () => {
    expect(
      loadConfig({
        SMTP_URL: 'smtps://u:p@mail.example:465',
        PUBLIC_BASE_URL: 'https://sla.example',
        TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
      }),
    ).toMatchObject({ SMTP_URL: 'smtps://u:p@mail.example:465' });
    expect(loadConfig({ TEMPORAL_TLS_CERT_PATH: 'a.pem', TEMPORAL_TLS_KEY_PATH: 'a.key' })).toMatchObject({
      TEMPORAL_TLS_KEY_PATH: 'a.key',
    });
  });

  it('needs the TLS certificate and key together', () => {
    expect(problemsOf({ TEMPORAL_TLS_CERT_PATH: 'a.pem' }).map((p) => p.variable)).toEqual(['TEMPORAL_TLS_KEY_PATH']);
  });

  it('never echoes a credential in its error', () => {
    expect(() => loadConfig({ SMTP_URL: 'mailto:secret-password' })).toThrow(/SMTP_URL=\(hidden\)/);
    expect(() => loadConfig({ SMTP_URL: 'mailto:secret-password' })).not.toThrow(/secret-password/);
  });
});
