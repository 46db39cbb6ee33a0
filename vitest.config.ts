import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    pool: 'forks',
    // Two files at a time even on a 2-core machine (vitest's default there is one, cores - 1): most files spend
    // their time waiting on a spawned server, Chromium or PostgreSQL, so a second file runs in that time.
    // `--maxWorkers=1` (or vitest's own VITEST_MAX_WORKERS=1) runs the files one at a time again.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
