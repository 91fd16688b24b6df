import { spawn } from 'node:child_process';

/** Runs a command to completion with inherited output; rejects with its exit code in the message. */
export function run(command, args, { env = process.env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { TURBO_TELEMETRY_DISABLED: '1', ...env }, cwd, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${[command, ...args].join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/** Polls `url` until it answers 2xx; false if `child` exits first or `ms` pass. */
export async function waitUntilReady(url, child, ms) {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    if (child.exitCode !== null) return false;
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
