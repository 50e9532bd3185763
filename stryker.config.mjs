// Mutation testing of the catalog and the language service: `npm run mutate`, or one file with
// `npm run mutate -- --mutate server/src/service/infer.ts`. See RELIABILITY.md, "Mutation testing".
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['server/src/catalog/**/*.ts', 'server/src/service/**/*.ts'],
  // The command runner runs the unit and property tests, bundled once per run into one file
  // (scripts/mutation-tests.mjs), in one process that stops at the first failure; it can only
  // read an exit status, so there is no per-test coverage and every mutant runs.
  testRunner: 'command',
  buildCommand: 'node scripts/mutation-tests.mjs',
  commandRunner: {
    command: 'node --test-reporter=./scripts/mutation-bail-reporter.mjs .mutation/tests.cjs',
  },
  coverageAnalysis: 'off',
  // The machine is shared: one test process at a time, and room for a loaded machine before a
  // slow run counts as a timeout.
  concurrency: 1,
  timeoutFactor: 2,
  timeoutMS: 15000,
  dryRunTimeoutMinutes: 15,
  // The sandbox is a copy of the repository with a link to node_modules (which may itself be a
  // link, as in a git worktree); builds, browsers and reports are left out of the copy.
  symlinkNodeModules: true,
  ignorePatterns: ['dist', 'out', '.vscode-test', '.vscode-test-web', 'bench/data', '.bench-data', 'test-results', 'reports', '.mutation', '*.vsix'],
  tempDirName: '.stryker-tmp',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  thresholds: { high: 85, low: 70, break: null },
};
