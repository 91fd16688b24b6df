/**
 * The API process: validate configuration, start, and on SIGTERM/SIGINT shut down without losing
 * a request: readiness fails first (for SHUTDOWN_DRAIN_MS, so the load balancer stops sending),
 * then the server stops accepting and finishes the requests in flight, then the database pool and
 * the e-mail queue close (forced after SHUTDOWN_TIMEOUT_MS).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type AppConfig } from './config/config.js';
import { Lifecycle } from './health/lifecycle.js';

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
  }, config.shutdownDrainMs + config.shutdownTimeoutMs).unref();
  app.get(Lifecycle).drain();
  sleep(config.shutdownDrainMs)
    .then(() => app.close())
    .then(
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
