/**
 * The API's Jest setup (ESM, @swc/jest, the mapper; see api/jest.config.js), on the same kind of
 * throwaway PostgreSQL and MailDev: the API's global setup starts them once per run. The panel
 * runs as in production (NODE_ENV=production, prebuilt bundles: see the test script), so build
 * first (`npm run build -w @nuell/admin`, which turbo does before `npm test`).
 */
import api from '../api/jest.config.js';

export default {
  ...api,
  globalSetup: '<rootDir>/../api/test/global-setup.mjs',
  globalTeardown: '<rootDir>/../api/test/global-teardown.mjs',
  // Browser tests drive the panel's heaviest pages.
  testTimeout: 60_000,
};
