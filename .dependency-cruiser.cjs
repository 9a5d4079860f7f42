/**
 * The house rules of functions/: one folder per capability, a small core, no cycles. Checked by
 * test/unit/architecture.test.ts (and by hand: `npx depcruise functions --config .dependency-cruiser.cjs`).
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules must not import each other in a circle.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'capability-internals',
      severity: 'error',
      comment: "A capability reaches another only through that capability's index.ts.",
      from: { path: '^functions/([^/]+)/' },
      to: { path: '^functions/[^/]+/', pathNot: ['^functions/$1/', '^functions/core/', '^functions/[^/]+/index[.]ts$'] },
    },
    {
      name: 'contracts-stand-alone',
      severity: 'error',
      comment: 'Event contracts are imported by producers, consumers, CDK and the local bus; they import no function code.',
      from: { path: '^events/' },
      to: { path: '^functions/' },
    },
    {
      name: 'core-stands-alone',
      severity: 'error',
      comment: 'The core is what every capability needs; it depends on no capability.',
      from: { path: '^functions/core/' },
      to: { path: '^functions/', pathNot: '^functions/core/' },
    },
    {
      name: 'entries-are-not-imported',
      severity: 'error',
      comment: 'Lambda entry files (*.handler.ts) are adapters; nothing in functions/ imports them.',
      from: { path: '^functions/' },
      to: { path: '[.]handler[.]ts$' },
    },
    {
      name: 'functions-stand-on-their-own',
      severity: 'error',
      comment: 'Deployed code never imports the CDK app, the local runtime or the tests.',
      from: { path: '^(functions|events)/' },
      to: { path: '^(infra|test)/' },
    },
    {
      name: 'fakes-stay-out-of-deployed-code',
      severity: 'error',
      comment: 'In-memory fakes are for tests; no deployed module imports one.',
      from: { path: '^functions/', pathNot: 'in-memory-[^/]+[.]ts$' },
      to: { path: 'in-memory-[^/]+[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
