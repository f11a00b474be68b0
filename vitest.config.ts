import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // the longest browser journeys take 10–12 s on an idle machine; a loaded CI runner may be three times slower
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // expect.poll waits for what a loaded machine (parallel files, Chromium, two cores) may take seconds to show;
    // its default of 1 s is short for a step that waits on a request and a render
    expect: { poll: { timeout: 15_000 } },
  },
});
