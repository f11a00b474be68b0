import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for what a loaded machine (parallel files, Chromium, two cores) may take seconds to show;
    // its default of 1 s failed browser steps on a busy CI runner
    expect: { poll: { timeout: 15_000 } },
  },
});
