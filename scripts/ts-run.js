// Minimal require hook: compiles .ts files on the fly with @swc/core using the repo's .swcrc.
// Runs TypeScript sources without a build (benchmarks, drills, fuzz): node scripts/ts-run.js bench/load.ts [args]
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '.swcrc'), 'utf8'));
delete swcrc.$schema;

require.extensions['.ts'] = function compileTs(module, filename) {
  const src = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(src, { ...swcrc, swcrc: false, filename, sourceMaps: 'inline' });
  module._compile(code, filename);
};

// As a runner: node scripts/ts-run.js some-file.ts [args] (also usable with node -r).
if (require.main === module && process.argv[2]) {
  const target = path.resolve(process.argv[2]);
  process.argv.splice(1, 2, target);
  require(target);
}
