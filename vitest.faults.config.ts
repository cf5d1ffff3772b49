import { defineConfig } from 'vitest/config';

/** Fault tests start real processes and servers; one file at a time on 2 cores. */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.fault.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
