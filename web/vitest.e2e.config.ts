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
    hookTimeout: 120_000,
  },
});
