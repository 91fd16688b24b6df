/**
 * In production the panel serves bundles built beforehand (ADMIN_JS_SKIP_BUNDLE) and never runs
 * AdminJS's component bundler, yet AdminJS imports that bundler when it loads: rollup, Babel and
 * its presets, core-js's data, tens of megabytes resident that no request ever uses. This hook,
 * registered before AdminJS is first imported, answers AdminJS's import of its bundler with a
 * module whose bundler refuses to run, saying why. Development keeps the real one (it bundles
 * the panel's components at start).
 */
import { registerHooks } from 'node:module';

const BUNDLER = /\/bundler\/components\.bundler\.js$/;
const REFUSING_BUNDLER = `data:text/javascript,${encodeURIComponent(
  "export default async function bundle() { throw new Error('the production panel serves prebuilt bundles and does not bundle: build the panel (npm run build -w @nuell/admin)'); }",
)}`;

export function leaveBundlerOut(): void {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      if (BUNDLER.test(resolved.url) && resolved.url.includes('/node_modules/adminjs/')) {
        return { url: REFUSING_BUNDLER, format: 'module', shortCircuit: true };
      }
      return resolved;
    },
  });
}
