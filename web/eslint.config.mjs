// @ts-check
// The web workspace's lint. ESLint reads the config nearest to each file, so this one serves all of
// web/: the repository's config (../eslint.config.js, its patterns read from the root, as when it
// linted web/ itself: type-aware rules on TypeScript, which here includes app/), and for app/ also
// Nuxt's flat config (@nuxt/eslint-config: Vue, imports, Nuxt's own rules). The preset is used
// without the @nuxt/eslint module, so linting needs no generated file and no dev server.
import { createConfigForNuxt } from '@nuxt/eslint-config';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import repository from '../eslint.config.js';

/** Nuxt's rules without its global ignores (`public/` among them, which the repository lints). */
const nuxt = (await createConfigForNuxt({ dirs: { src: ['./app'] } })).filter(
  (config) => !Object.keys(config).every((key) => key === 'ignores' || key === 'name'),
);

export default defineConfig(
  repository.map((config) => ({ ...config, basePath: '..' })),
  { files: ['app/**'], extends: [nuxt] },
  prettier,
);
