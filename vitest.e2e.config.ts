// Browser specs (e2e/*.test.ts) against the built site that e2e/run.mjs serves; one file at a time,
// since each drives its own Chromium on a shared two-core machine.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
