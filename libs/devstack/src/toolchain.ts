import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './project-root';

export interface TemporalToolchain {
  cli: string;
  testServer?: string;
}

/**
 * Binaries chosen by scripts/setup-temporal.js (env overrides, PATH, project-local wheels),
 * recorded in .temporal/paths.json. Env variables still win so a caller can point elsewhere.
 */
export function temporalToolchain(): TemporalToolchain {
  let recorded: Partial<TemporalToolchain> = {};
  try {
    recorded = JSON.parse(readFileSync(join(projectRoot(), '.temporal', 'paths.json'), 'utf8'));
  } catch {
    // not set up yet: only env variables can help
  }
  const cli = process.env.TEMPORAL_CLI_PATH || recorded.cli;
  if (!cli) throw new Error('Temporal CLI not installed: run `npm run setup:temporal` (or set TEMPORAL_CLI_PATH)');
  return { cli, testServer: process.env.TEMPORAL_TEST_SERVER_PATH || recorded.testServer };
}
