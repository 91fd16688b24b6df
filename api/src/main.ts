/**
 * The API process: validate configuration, start, and on SIGTERM/SIGINT drain in-flight requests
 * and close the database pool before exiting (forced after SHUTDOWN_TIMEOUT_MS).
 */
import { createApp } from './app.js';
import { ConfigError, loadConfig, type AppConfig } from './config/config.js';

function readConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`nuell api: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

const config = readConfig();
const app = await createApp(config);

let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    process.stderr.write(`nuell api: shutdown took longer than ${config.shutdownTimeoutMs} ms, forcing exit\n`);
    process.exit(1);
  }, config.shutdownTimeoutMs).unref();
  app.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`nuell api: error while stopping after ${signal}: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
// Before listening: a signal that arrives once the port is open must find its handler.
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
await app.listen({ host: config.host, port: config.port });
