/**
 * Jest on native ESM (run with `node --experimental-vm-modules`): @swc/jest compiles TypeScript
 * with legacy decorators and decorator metadata (what Nest and TypeORM need), and the mapper
 * strips the `.js` that ESM requires in relative imports so Jest finds the `.ts` source.
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2023',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          keepClassNames: true,
        },
        module: { type: 'es6' },
        sourceMaps: 'inline',
      },
    ],
  },
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
  // One PostgreSQL per run, shared by every file; each file boots its own app on it.
  maxWorkers: 2,
  testTimeout: 30_000,
};
