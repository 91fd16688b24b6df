import { defineVitestConfig } from '@nuxt/test-utils/config';

/** Unit tests of stores, composables and form rules, inside a Nuxt runtime (happy-dom). */
export default defineVitestConfig({
  test: {
    environment: 'nuxt',
    include: ['test/**/*.spec.ts'],
    setupFiles: ['test/setup.ts'],
  },
});
