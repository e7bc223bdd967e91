#!/usr/bin/env node
'use strict';
// `npm run cluster`: the engine on a multi-service Temporal cluster on PostgreSQL (see docs/operations.md).
// Go and PostgreSQL are checked first, so a missing one stops the script at once with its install command
// (it does not install them itself: a system package is the user's call).
const fs = require('node:fs');
const path = require('node:path');
const { ensureDependencies, build, ROOT } = require('./lib/bootstrap');

function onPath(name, extra = []) {
  return [...(process.env.PATH || '').split(path.delimiter), ...extra].some((dir) => {
    try {
      return dir && fs.statSync(path.join(dir, name)).isFile();
    } catch {
      return false;
    }
  });
}

const pgDirs = fs.existsSync('/usr/lib/postgresql')
  ? fs.readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`)
  : [];
// A server built before needs no Go (cluster.ts names the pinned version and builds it when it is missing).
const binDir = path.join(ROOT, '.cluster', 'bin');
const builtServer =
  fs.existsSync(binDir) && fs.readdirSync(binDir).some((d) => fs.existsSync(path.join(binDir, d, 'temporal-server')));
const missing = [];
if (!builtServer && !onPath('go', ['/usr/local/go/bin', '/usr/lib/go/bin'])) {
  missing.push(
    'Go (builds the Temporal server once):\n  apt-get update && apt-get install -y golang-go   (Temporal 1.30.4 needs Go >= 1.25.8; a Go >= 1.21, as in Debian 13, fetches that toolchain from the Go module proxy by itself; Debian 12 ships 1.19, too old: take Go from go.dev/dl)',
  );
}
if (!onPath('initdb', pgDirs) || !onPath('postgres', pgDirs))
  missing.push('PostgreSQL:\n  apt-get update && apt-get install -y postgresql');
if (missing.length > 0) {
  process.stderr.write(`[cluster] missing, install and run again:\n${missing.map((m) => `- ${m}`).join('\n')}\n`);
  process.exit(1);
}

ensureDependencies();
build();
require(path.join(ROOT, 'dist', 'libs', 'devstack', 'src', 'cluster-launch.js'));
