/**
 * The panel process: validate configuration (exit 78 naming what is wrong), start, and on
 * SIGTERM/SIGINT stop taking requests, close the database pools and exit (forced after
 * SHUTDOWN_TIMEOUT_MS).
 */
import { ConfigError } from '@nuell/api';
import { ADMINJS_DIR } from './bundle-paths.js';
import { loadPanelConfig, type PanelConfig } from './config.js';
import { leaveBundlerOut } from './production-modules.js';

function readConfig(): PanelConfig {
  try {
    return loadPanelConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`nuell admin: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

const config = readConfig();
// AdminJS reads these when it is first imported, hence the late import of the app below. Its
// working folder is admin/.adminjs wherever the process starts; production uses the prebuilt
// bundles and never runs rollup.
process.env.ADMIN_JS_TMP_DIR ??= ADMINJS_DIR;
if (process.env.NODE_ENV === 'production') process.env.ADMIN_JS_SKIP_BUNDLE ??= 'true';
if (process.env.ADMIN_JS_SKIP_BUNDLE === 'true') leaveBundlerOut();
const { createPanel } = await import('./app.js');
const app = await createPanel(config);

let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    process.stderr.write(`nuell admin: shutdown took longer than ${config.api.shutdownTimeoutMs} ms, forcing exit\n`);
    process.exit(1);
  }, config.api.shutdownTimeoutMs).unref();
  app.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`nuell admin: error while stopping after ${signal}: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
// Before listening: a signal that arrives once the port is open must find its handler.
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
await app.listen(config.port, config.host);
