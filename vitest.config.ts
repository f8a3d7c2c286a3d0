import { defineConfig } from 'vitest/config';

// Tests run the TypeScript sources directly; tests that spawn the `caisse` command use dist/ (built by `pretest`).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
