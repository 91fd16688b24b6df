/**
 * The control panel under `npm start`: runs admin/dist/main.js (built by `turbo run build`) with
 * the same environment as the API, on ADMIN_PORT (3002), and says where operators open it: the web
 * app's origin when the web app (and its dev proxy for /cp) exists, the panel's own port until then.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { isPortFree } from './embedded-postgres.mjs';
import { PORTS, ROOT } from './dev-env.mjs';
import { waitUntilReady } from './run.mjs';

/**
 * Starts the panel; resolves once it answers its readiness probe. `onExit` is called if it stops
 * by itself. Returns its address for operators and `stop()`, which lets it close its pools; the
 * same handle goes to `onSpawn` as soon as the process exists, so a caller stopping meanwhile can
 * stop it too.
 */
export async function startControlPanel(env, onExit, onSpawn = () => {}) {
  const port = Number(env.ADMIN_PORT || PORTS.ADMIN_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`ADMIN_PORT must be a port number`);
  if (!(await isPortFree(port))) throw new Error(`port ${port} is already in use; set ADMIN_PORT to another port`);

  // The panel's heap settings (admin/src/node-flags.ts), as in production.
  const { PANEL_NODE_FLAGS } = await import(join(ROOT, 'admin/dist/node-flags.js'));
  const child = spawn(process.execPath, [...PANEL_NODE_FLAGS, join(ROOT, 'admin/dist/main.js')], {
    env: { ...env, ADMIN_PORT: String(port) },
    stdio: 'inherit',
  });
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) onExit(signal ?? `exit ${code}`);
  });
  const handle = {
    // Operators open the panel on the web app's origin, whose dev server proxies /cp to it.
    url: env.ADMIN_URL || `${env.PUBLIC_URL || `http://localhost:${PORTS.WEB_PORT}`}/cp`,
    async stop() {
      if (child.exitCode !== null) return;
      stopping = true;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
  onSpawn(handle);
  if (!(await waitUntilReady(`http://127.0.0.1:${port}/cp/health/ready`, child, 60_000))) {
    if (child.exitCode === null) {
      stopping = true;
      child.kill('SIGTERM');
    }
    throw new Error('the control panel did not become ready within 60 seconds');
  }
  return handle;
}
