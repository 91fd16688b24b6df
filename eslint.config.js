// One flat config for every workspace: typescript-eslint's type-aware rules on TypeScript,
// plain recommended rules on JavaScript, Prettier owning formatting, and the direction modules
// depend in (docs/architecture.md, "Modules and which way they depend") as import rules.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noImportsOf = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

// Import specifiers are matched as written, so a relative one is judged by how far it climbs:
// from api/src/<folder>/ (or a subfolder of it), `../x/` (or `../../x/`) reaches api/src/x.
/** Below every module: what policy/, http/ and database/ may import of the rest of api/src. */
const PLAIN_FOLDERS = ['config', 'logging', 'http', 'policy', 'database'];

/**
 * The files `depth` folders below api/src in `folders`, refused any relative import that climbs
 * to api/src and reaches something other than `allowed`: a module's folder, the app's assembly
 * (app.ts, index.ts), or a file outside the source.
 */
const climbingOut = (folders, allowed, message) =>
  [1, 2, 3].map((depth) => ({
    files: folders.map((folder) => `api/src/${folder}/${'*/'.repeat(depth - 1)}*`),
    rules: noImportsOf({ regex: `^(\\.\\./){${depth}}(?!${allowed})`, message }),
  }));

/** Only the package's entry is @nuell/api's contract; its deep paths are not. */
const API_DEEP_PATHS = {
  group: ['@nuell/api/*'],
  message:
    "Import from '@nuell/api' (api/src/index.ts): its deep paths are no contract (docs/architecture.md); export what the panel needs there.",
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.data/**',
      '**/target/**',
      'native/index.js',
      'native/index.d.ts',
      // web/eslint.config.mjs reuses this config for web/ and adds Nuxt's rules for web/app; the
      // web app's tests and configs are checked by vue-tsc (npm run typecheck).
      'web/.nuxt/**',
      'web/.output/**',
      'web/test/**',
      'web/*.config.ts',
      'web/e2e/**/*.ts',
      '**/.adminjs/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      // Nest modules and DTOs are classes with only decorators and static members.
      '@typescript-eslint/no-extraneous-class': 'off',
      // Returning object literals typed as response DTO classes is the Nest idiom.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['web/public/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
  {
    // The control panel's React components run in the browser, bundled by AdminJS.
    files: ['admin/components/**/*.tsx'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['api/src/users/**'],
    rules: noImportsOf({
      regex: '^(\\.\\./)+auth/',
      message: 'users/ never imports auth/: authentication builds on accounts (docs/architecture.md).',
    }),
  },
  ...climbingOut(
    ['policy', 'http'],
    `(${PLAIN_FOLDERS.join('|')})/`,
    'policy/ and http/ sit below the modules and import none of them (docs/architecture.md); pass what they need in.',
  ),
  // The data source lists every entity, so a module's entity files are all that database/ imports of it.
  ...climbingOut(
    ['database'],
    `(${PLAIN_FOLDERS.join('|')})/|[\\w-]+/[\\w.-]+\\.entity\\.js$`,
    'database/ knows the entities (*.entity.js) but no module code (docs/architecture.md); move the shared piece down.',
  ),
  {
    files: ['admin/src/**', 'admin/components/**'],
    rules: noImportsOf(API_DEEP_PATHS, {
      regex: '^(\\.\\./)+api/',
      message: "The panel imports the API through '@nuell/api' only, never its files (docs/architecture.md).",
    }),
  },
  {
    files: ['admin/test/**'],
    rules: noImportsOf(API_DEEP_PATHS, {
      regex: '^(\\.\\./)+api/(?!test/support/)',
      message:
        "The panel's tests share the API's test helpers (api/test/support/) and no other file of it (docs/architecture.md).",
    }),
  },
  prettier,
);
