// One flat config for every workspace: typescript-eslint's type-aware rules on TypeScript,
// plain recommended rules on JavaScript, and Prettier owning formatting.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.data/**',
      '**/target/**',
      'native/index.js',
      'native/index.d.ts',
      // The web app's TypeScript and Vue files are checked by vue-tsc (npm run typecheck).
      'web/.nuxt/**',
      'web/.output/**',
      'web/app/**',
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
  prettier,
);
