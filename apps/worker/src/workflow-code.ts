/**
 * The worker's workflow code: the workflows and the interceptor modules bundled with them. One place
 * for the worker, the test bundle and the benches, so none of them runs workflows without the
 * interceptors (a worker that did would answer without the request fingerprints the API checks).
 */
export const WORKFLOWS_PATH = require.resolve('../../../workflows');
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../../../workflows/common/command-fingerprint')];
