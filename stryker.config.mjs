// Mutation testing of the decision modules: `npm run mutation` (not part of CI; a run takes
// minutes). Stryker changes the code one small way at a time (a flipped condition, a removed
// statement…) and runs the unit tests in vitest.stryker.config.ts: a mutant that no test notices
// ("survived") points at behaviour the tests do not pin. Report: reports/mutation/index.html.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  mutate: [
    'src/request/**/*.ts',
    'src/config/**/*.ts',
    'src/yaml/**/*.ts',
    'src/approval/**/*.ts',
    'src/confirm/decide-confirm.ts',
    'src/command/parse-command.ts',
    '!src/**/types.ts', // type declarations only
  ],
  ignorePatterns: ['dist', 'bench', 'demo', 'docs', 'coverage', 'reports'],
  coverageAnalysis: 'perTest',
  // Mutants in module-level constants (message tables, pattern hints) run every test for each
  // mutant: three quarters of the run time for a sixth of the mutants. They are left out.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
};
