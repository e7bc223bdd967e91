// Layer rules and import cycles (`npm run lint`, part of `npm test`).
// apps → libs, workflows (types and definitions), activities (worker only); libs never import apps,
// activities or workflows; workflows import activities by type only.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle makes load order matter and hides which module owns a rule.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'api-not-activities',
      severity: 'error',
      comment: 'The API shares domain rules through libs/; activities/ holds only what the worker registers.',
      from: { path: '^apps/api/' },
      to: { path: '^activities/' },
    },
    {
      name: 'libs-stay-below',
      severity: 'error',
      comment: 'Libraries are the bottom layer: they never import the apps, the activities or the workflows.',
      from: { path: '^libs/', pathNot: '\\.(spec|test)\\.ts$' },
      to: { path: '^(apps|activities|workflows)/' },
    },
    {
      name: 'workflows-activities-as-types',
      severity: 'error',
      comment: 'Workflows proxy activities; importing their implementation would bundle I/O into the sandbox.',
      from: { path: '^workflows/', pathNot: '\\.(spec|test)\\.ts$' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|coverage|\\.cluster|\\.temporal)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
