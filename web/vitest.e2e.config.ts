import { defineConfig } from 'vitest/config';

/** End-to-end: the built app and the real stack (e2e/global-setup.ts), driven by Chromium. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    environment: 'node',
    // One stack, one browser per file; files one after another keep the 2-core machines calm.
    fileParallelism: false,
    testTimeout: 90_000,
    // expect.poll waits for what the page shows after a request; 1 s (vitest's default) is less
    // than a round trip takes on a busy 2-core machine, as waitFor's 30 s is not.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 120_000,
  },
});
