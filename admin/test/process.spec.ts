/**
 * The panel as an operator runs it: the built `admin/dist/main.js` as a process of its own. A bad
 * configuration stops it with exit code 78 and a message naming the variable, before it listens,
 * like the API (docs/operations.md).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../scripts/lib/embedded-postgres.mjs';
import { testEnv } from '../../api/test/support/app.js';
import { ensureMigrated } from '../../api/test/support/database.js';
import { openedBefore, startServer, waitForHttp } from '../../api/test/support/server-process.js';

const PANEL_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const PRODUCTION_MODULES = new URL('../dist/production-modules.js', import.meta.url).href;

/**
 * Imports AdminJS in a fresh process after leaveBundlerOut (as main.ts does in production), noting
 * every module it resolves, and asks the bundler it got to bundle.
 */
const IMPORT_ADMINJS = `
  import { registerHooks } from 'node:module';
  const { leaveBundlerOut } = await import(${JSON.stringify(PRODUCTION_MODULES)});
  leaveBundlerOut();
  const resolved = [];
  registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); resolved.push(r.url); return r; } });
  await import('adminjs');
  let refusal = '';
  try { await (await import(resolved.find((url) => url.startsWith('data:')))).default(); } catch (error) { refusal = error.message; }
  console.log(JSON.stringify({
    adminjs: resolved.some((url) => url.endsWith('/adminjs/lib/adminjs.js')),
    bundlerModules: resolved.filter((url) => /node_modules\\/(rollup|@rollup|@babel\\/(core|preset-env|parser))\\//.test(url)),
    refusal,
  }));
`;

/** The panel's environment as production runs it (prebuilt bundles), on a free port. */
async function panelEnv(overrides: Record<string, string> = {}) {
  const port = await freePort();
  const env = testEnv({ NODE_ENV: 'production', ADMIN_PORT: String(port), ADMIN_URL: `http://127.0.0.1:${port}/cp` });
  return { port, env: { ...env, ...overrides } };
}

describe('the panel process', () => {
  it.each([
    ['a port that is not a number', { ADMIN_PORT: 'eighty' }, /ADMIN_PORT: must be a port number/],
    ['an address that is not the panel', { ADMIN_URL: 'ftp://panel.example/admin' }, /ADMIN_URL: must be the panel/],
    ['a short secret', { JWT_SECRET: 'short' }, /JWT_SECRET.*at least 32/],
    ['no SMTP server in production', { SMTP_URL: '' }, /SMTP_URL/],
  ])('stops with exit code 78 naming the variable on %s, and never listens', async (_case, overrides, message) => {
    const { port, env } = await panelEnv(overrides);
    const panel = startServer(env, PANEL_MAIN);
    const opened = openedBefore(port, panel.exited);
    expect(await panel.exited).toBe(78);
    expect(panel.stderr()).toMatch(message);
    expect(await opened).toBe(false);
  });

  it("in production leaves AdminJS's bundler (rollup, Babel) unloaded, and says why if asked to bundle", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', IMPORT_ADMINJS], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    const seen = JSON.parse(stdout) as { adminjs: boolean; bundlerModules: string[]; refusal: string };
    expect(seen.adminjs).toBe(true);
    expect(seen.bundlerModules).toEqual([]);
    expect(seen.refusal).toMatch(/prebuilt bundles/);
  });

  it('would notice a port that opened, and exits 0 on SIGTERM (control)', async () => {
    await ensureMigrated();
    const { port, env } = await panelEnv();
    const panel = startServer(env, PANEL_MAIN);
    expect((await waitForHttp(`http://127.0.0.1:${port}/cp/health/ready`, 60_000)).status).toBe(200);
    expect(await openedBefore(port, panel.exited)).toBe(true);
    // Without the bundler it still serves its sign-in page and its prebuilt bundles.
    expect((await fetch(`http://127.0.0.1:${port}/cp/login`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/cp/assets/components.bundle.js`)).status).toBe(200);
    panel.child.kill('SIGTERM');
    expect(await panel.exited).toBe(0);
  });
});
