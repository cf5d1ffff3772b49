import { defineConfig } from 'vitest/config';

/**
 * Browser tests: the console in Debian's chromium through playwright-core.
 * Kept apart from the default run because they need chromium
 * (scripts/ensure-system-deps.sh chromium installs it) and start a browser.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
