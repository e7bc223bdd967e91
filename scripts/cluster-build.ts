/**
 * Builds (once) the Temporal server and temporal-sql-tool that the cluster drills and bench run, so that
 * the cluster drills and bench do not spend their own time limit on a first build.
 * Run: node scripts/ts-run.js scripts/cluster-build.ts
 */
import { ClusterSetupError, ensureServerBinaries, findPostgres } from '../libs/devstack/src/cluster';

try {
  findPostgres();
  const binaries = ensureServerBinaries((line) => console.log(`[cluster] ${line}`), { ui: false });
  console.log(
    `[cluster] ${binaries.server}\n[cluster] ${binaries.sqlTool}${binaries.ui ? `\n[cluster] ${binaries.ui}` : ''}`,
  );
} catch (error) {
  console.error(`[cluster] ${error instanceof ClusterSetupError ? error.message : String(error)}`);
  process.exit(1);
}
