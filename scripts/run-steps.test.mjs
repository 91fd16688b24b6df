/**
 * scripts/run-steps.mjs, which `npm test` and the workspaces' test scripts run their suites
 * with: every step runs whatever happened before it, and a failure anywhere fails the whole.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const RUN_STEPS = new URL('run-steps.mjs', import.meta.url).pathname;
const node = (code) => `"${process.execPath}" -e "${code}"`;

function runSteps(...steps) {
  return exec(process.execPath, [RUN_STEPS, ...steps]).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error) => ({ code: error.code, stdout: error.stdout }),
  );
}

describe('run-steps', () => {
  test('runs every step after one fails, names each, and exits 1', async () => {
    const { code, stdout } = await runSteps(
      `first=${node('process.exit(3)')}`,
      `second=${node("console.log('second ran')")}`,
    );
    assert.equal(code, 1);
    const lines = stdout.trim().split('\n');
    assert.match(lines[0], /^\[step first\] /);
    assert.equal(lines[1], '[step first] failed (exit 3)');
    assert.match(lines[2], /^\[step second\] /);
    assert.equal(lines[3], 'second ran');
    assert.equal(lines.at(-1), 'run-steps: failed: first');
  });

  test('exits 0 when every step passes', async () => {
    const { code, stdout } = await runSteps(`one=${node('')}`, `two=${node('')}`);
    assert.equal(code, 0, stdout);
    assert.deepEqual(
      stdout
        .trim()
        .split('\n')
        .map((line) => line.split(']')[0]),
      ['[step one', '[step two'],
    );
  });

  test('refuses a step that is not <name>=<command>', async () => {
    assert.equal((await runSteps('just a command')).code, 2);
  });
});
