/**
 * Stopping child processes that will not stop: what the deployment tests rely on so that a hung
 * server or tool fails its test instead of holding the run.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { execWithDeadline, stopChild } from './bounded-process.mjs';

/** Ignores SIGTERM, and says so once it does; gives up on its own later, so a failed test leaks nothing. */
const STUBBORN = "process.on('SIGTERM', () => {}); console.log('ready'); setTimeout(() => process.exit(9), 30_000);";

async function started(code) {
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = await once(child.stdout, 'data');
  assert.equal(String(chunk).trim(), 'ready');
  return child;
}

describe('bounded processes', () => {
  test('a process that ignores SIGTERM is killed once the grace period is over', async () => {
    const child = await started(STUBBORN);
    await stopChild(child, 200);
    assert.equal(child.signalCode, 'SIGKILL');
  });

  test('a process that stops on SIGTERM is not killed', async () => {
    const child = await started("console.log('ready'); setTimeout(() => process.exit(9), 30_000);");
    await stopChild(child, 60_000);
    assert.equal(child.signalCode, 'SIGTERM');
  });

  test('a command past its deadline is stopped, and the error says so', async () => {
    await assert.rejects(execWithDeadline(process.execPath, ['-e', STUBBORN], { timeoutMs: 500, graceMs: 200 }), {
      timedOut: true,
      signal: 'SIGKILL',
      message: `${process.execPath} did not finish within 500 ms and was stopped`,
      stdout: 'ready\n',
    });
  });

  test('a command within its deadline gives its output; a failing one its exit code', async () => {
    assert.deepEqual(await execWithDeadline(process.execPath, ['-e', "console.log('out')"]), {
      stdout: 'out\n',
      stderr: '',
    });
    await assert.rejects(execWithDeadline(process.execPath, ['-e', 'process.exit(4)']), { code: 4, timedOut: false });
  });
});
