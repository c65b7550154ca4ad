import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'labs/**/*.test.ts', 'test/**/*.test.ts', 'bin/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['node_modules', 'dist', 'e2e', 'labs/*/starter/**', 'labs/*/solution/**', 'labs/*/wrong/**'],
    environment: 'node',
    // The AWS SDK's notice about its future Node 22 minimum would repeat in every test file's output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
