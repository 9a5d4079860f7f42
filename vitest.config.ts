import { defineConfig } from 'vitest/config';

/**
 * Five projects: domain unit tests (in-memory fakes, fast), integration tests against the real local
 * runtime (started once by the global setup), the reliability suite (its own runtime, with injected
 * faults), the address-confirmation tests (their own runtime, confirmation on) and CDK assertion tests
 * (synth once, slow bundling).
 */
export default defineConfig({
  test: {
    setupFiles: ['test/support/print-runtime.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/local-runtime.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          globalSetup: ['test/support/reliability-runtime.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'confirmation',
          include: ['test/confirmation/**/*.test.ts'],
          globalSetup: ['test/support/confirmation-runtime.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: { name: 'cdk', include: ['test/cdk/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 300_000 },
      },
    ],
  },
});
