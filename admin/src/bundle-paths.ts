/**
 * Where the panel's prebuilt browser bundles live: admin/.adminjs/assets, written by bundle.ts at
 * build time (`npm run build`) and served at /cp/assets. The same path from src/ and dist/.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** AdminJS's working folder (ADMIN_JS_TMP_DIR); git ignores it. */
export const ADMINJS_DIR = fileURLToPath(new URL('../.adminjs', import.meta.url));
export const ASSETS_DIR = join(ADMINJS_DIR, 'assets');

/** The folder of prebuilt bundles, when the build has made them. */
export function prebuiltAssetsDir(): string | undefined {
  return existsSync(join(ASSETS_DIR, 'components.bundle.js')) ? ASSETS_DIR : undefined;
}
