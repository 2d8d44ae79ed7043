import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores: forks keep geometry-heavy suites from starving each other.
    pool: 'forks',
    testTimeout: 60_000,
  },
});
