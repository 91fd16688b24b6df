/**
 * Child processes that cannot hold a run hostage: a command with a deadline, and a stop that
 * ends with SIGKILL when SIGTERM was not enough. The deployment tests and checks start servers
 * and outside tools; a hung one must fail its test, not stall CI until the job's own limit.
 */
import { execFile } from 'node:child_process';

/**
 * Sends SIGTERM, then SIGKILL if the process is still running `graceMs` later; resolves once
 * it has exited.
 */
export function stopChild(child, graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * execFile with a deadline: past `timeoutMs` the command is stopped (stopChild) and the promise
 * rejects saying so. Resolves with { stdout, stderr }; otherwise rejects as a promisified
 * execFile does, with `stdout`, `stderr` and `code` on the error.
 */
export function execWithDeadline(command, args, { timeoutMs = 120_000, graceMs, ...options } = {}) {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const child = execFile(command, args, { maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      clearTimeout(deadline);
      if (!error) return resolve({ stdout, stderr });
      if (timedOut) error.message = `${command} did not finish within ${timeoutMs} ms and was stopped`;
      reject(Object.assign(error, { stdout, stderr, timedOut }));
    });
    const deadline = setTimeout(() => {
      timedOut = true;
      void stopChild(child, graceMs);
    }, timeoutMs);
  });
}
