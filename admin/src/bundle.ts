/**
 * `node dist/bundle.js` (part of `npm run build`): bundles the panel's components and copies
 * AdminJS's production bundles into .adminjs/assets with @adminjs/bundler, so a production panel
 * starts with ADMIN_JS_SKIP_BUNDLE=true and never runs rollup. Run from admin/ (npm does).
 */
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { bundle } from '@adminjs/bundler';
import { componentLoader } from './components.js';
import { ASSETS_DIR } from './bundle-paths.js';

// The bundler expects node_modules next to the working directory; in the workspace they are
// hoisted, and the design system sits inside adminjs. Resolve both as AdminJS itself does.
const adminjsMain = createRequire(import.meta.url).resolve('adminjs');
const designSystemMain = createRequire(adminjsMain).resolve('@adminjs/design-system');
const here = (path: string) => relative(process.cwd(), path);

const files = await bundle({
  componentLoader,
  destinationDir: here(ASSETS_DIR),
  adminJsAssetsDir: here(join(dirname(adminjsMain), 'lib/frontend/assets/scripts')),
  designSystemDir: here(join(dirname(designSystemMain), '..')),
});
console.log(`panel bundles: ${files.map((file) => file.name).join(', ')}`);
