import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { ApiKeyStore } from '../../../../libs/auth/src';
import type { DirectorySource } from '../../../../libs/people/src';
import type { Policy } from '../../../../libs/policy/src';

/** What `ApiModule.register` takes: the connections the process made, and overrides of the configuration. */
export interface ApiModuleOptions {
  client: Client;
  keys: ApiKeyStore;
  logger: Logger;
  policy?: Policy;
  /** The people directory (default: the file at PEOPLE_DIRECTORY_PATH, re-read on change). */
  people?: DirectorySource;
  /** Requests a minute per key (0: off); default `API_RATE_LIMIT_PER_MINUTE` or 600. */
  rateLimitPerMinute?: number;
  /**
   * How long intake may use an account's memo before reading it again (0: always read);
   * default `API_ACCOUNT_CACHE_MS` or 2000.
   */
  accountCacheMs?: number;
  /** Deadline of a request's Temporal calls; default `API_TEMPORAL_TIMEOUT_MS` or 5000. */
  temporalTimeoutMs?: number;
  /** How long `/health/ready` waits for Temporal; default `API_READY_TIMEOUT_MS` or 2000. */
  readyTimeoutMs?: number;
}
