import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../../apps/worker/src/workflow-code';

/** Bundles the workflows once per test run (it costs seconds); suites read the file named in the env. */
export default async function globalSetup(): Promise<void> {
  // Each suite appends how many answers it checked against the OpenAPI document; the teardown sums them.
  process.env.CONTRACT_REPORT_FILE = join(mkdtempSync(join(tmpdir(), 'sla-contract-')), 'validated.txt');
  writeFileSync(process.env.CONTRACT_REPORT_FILE, '');
  if (process.env.SLA_WORKFLOW_BUNDLE) return;
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  const file = join(mkdtempSync(join(tmpdir(), 'sla-bundle-')), 'workflow-bundle.js');
  writeFileSync(file, code);
  process.env.SLA_WORKFLOW_BUNDLE = file;
}
