import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The files that drive Chromium, spawn servers or CLI runs, or kill them, take half a minute or more each. Started
 * last, one of them runs alone while the other worker has nothing left; started first, the short files fill in
 * beside them. Vitest orders by the last run's durations when it has them; a fresh clone (CI) has none, and vitest
 * then orders by file size, which puts several of these near the end.
 */
const slowWhenNothingIsKnown = /^test\/(browser|chat|scale)\/|^test\/app\/cli-accounts\.test\.ts$/;

class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const known = (file: TestSpecification) =>
      this.ctx.cache.getFileTestResults(`${file.project.name}:${relative(this.ctx.config.root, file.moduleId)}`);
    if (sorted.every(known)) return sorted;
    const slow = (file: TestSpecification) =>
      slowWhenNothingIsKnown.test(relative(this.ctx.config.root, file.moduleId).replaceAll('\\', '/'));
    return [...sorted.filter(slow), ...sorted.filter((file) => !slow(file))];
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    pool: 'forks',
    // Two files at a time even on a 2-core machine (vitest's default there is one, cores - 1): most files spend
    // their time waiting on a spawned server, Chromium or PostgreSQL, so a second file runs in that time.
    // `--maxWorkers=1` (or vitest's own VITEST_MAX_WORKERS=1) runs the files one at a time again.
    maxWorkers: 2,
    sequence: { sequencer: SlowFilesFirst },
    // A test that starts a server or Chromium runs beside another file now: 30 s ran out for start-ups that take
    // a few seconds alone (npm start, the chat crash, the dispatcher crash, the form's axe pass, on a busy machine).
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
