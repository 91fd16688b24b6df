// ESM jest: run with node --experimental-vm-modules (see the test:js script in package.json).
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/js'],
  testMatch: ['**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  // TypeScript's nodenext style imports `./x.js` for `./x.ts`.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
    ],
  },
  // The pathological inputs take a moment in a debug-free release build;
  // this only keeps a hung renderer from stalling CI.
  testTimeout: 60_000,
};
