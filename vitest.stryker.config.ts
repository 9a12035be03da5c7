// The test selection for mutation testing (`npm run mutation`, stryker.config.json): the unit
// tests of the mutated decision modules only, in-process, no coverage, no sshd.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/unit/approval/**/*.test.ts',
      'test/unit/config/**/*.test.ts',
      'test/unit/command/**/*.test.ts',
      'test/unit/confirm/**/*.test.ts',
      'test/unit/request/**/*.test.ts',
      'test/unit/yaml/**/*.test.ts',
    ],
    // Per-call time limits (< 100 ms) measure the code, not Stryker's instrumented copy of it.
    exclude: ['test/unit/request/property.test.ts'],
    testTimeout: 30_000,
    coverage: { enabled: false },
  },
});
