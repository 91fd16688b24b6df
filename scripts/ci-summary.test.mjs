/**
 * CI's summary against a real `npm test` log (trimmed: scripts/fixtures/npm-test-output.txt)
 * and variations of it: it must count every suite, and it must be red whenever a suite ran
 * fewer tests than it should, or nothing at all.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { countTests, summarise } from './lib/test-summary.mjs';

const exec = promisify(execFile);
const fixture = (name) => new URL(`fixtures/${name}`, import.meta.url);
const LOG = readFileSync(fixture('npm-test-output.txt'), 'utf8');
const COMMITTED_MINIMUMS = JSON.parse(readFileSync(new URL('../.ci/minimums.json', import.meta.url), 'utf8'));

/** What the fixture's run ran, as a minimums file would say it. */
const RAN = {
  'native rust': 64,
  'native js': 399,
  api: 274,
  admin: 43,
  'web unit': 32,
  'web e2e': 39,
  deploy: 34,
  scripts: 2,
};

/**
 * The log without the lines from the one holding `from` (or the one after it, with `keepFrom`)
 * up to the next line matching `to`, which stays.
 */
function cut(log, from, to, { keepFrom = false } = {}) {
  const lines = log.split('\n');
  const start = lines.findIndex((line) => line.includes(from));
  assert.ok(start >= 0, `the fixture has "${from}"`);
  const end = lines.findIndex((line, i) => i > start && to.test(line));
  lines.splice(start + (keepFrom ? 1 : 0), (end < 0 ? lines.length : end) - start - (keepFrom ? 1 : 0));
  return lines.join('\n');
}

const lastLine = ({ lines }) => lines.at(-1);

describe('the CI summary', () => {
  test('counts every suite of a passing run, and passes it', () => {
    const counts = countTests(LOG);
    assert.deepEqual(Object.fromEntries([...counts].map(([suite, { passed }]) => [suite, passed])), RAN);
    const summary = summarise(LOG, 0, RAN);
    assert.equal(summary.ok, true);
    assert.equal(lastLine(summary), '887 passed, 0 failed, 0 skipped');
  });

  test('is red when a suite ran nothing, and names it', () => {
    const e2eNeverStarted = cut(LOG, '[step e2e]', /@nuell\/admin:test:/, { keepFrom: true });
    const noE2eStep = cut(LOG, '[step e2e]', /@nuell\/admin:test:/);
    for (const broken of [e2eNeverStarted, noE2eStep]) {
      const summary = summarise(broken, 0, RAN);
      assert.equal(summary.ok, false);
      assert.ok(summary.lines.includes('web e2e: 0 tests ran, fewer than its minimum of 39'), summary.lines.join('\n'));
      assert.match(lastLine(summary), /^\d+ passed, 1 failed, 0 skipped$/);
    }
  });

  test('is red when a suite ran fewer tests than its minimum', () => {
    const summary = summarise(LOG, 0, { ...RAN, api: 275 });
    assert.equal(summary.ok, false);
    assert.ok(summary.lines.includes('api: 274 tests ran, fewer than its minimum of 275'));
  });

  test('is red when the deployment tests stop before their summary', () => {
    const summary = summarise(cut(LOG, 'ℹ tests 34', /^\[step scripts\]/), 1, RAN);
    assert.equal(summary.ok, false);
    assert.ok(summary.lines.includes('deploy: 0 tests ran, fewer than its minimum of 34'));
  });

  test('is red when a suite has no minimum, so that a new suite gets one', () => {
    const withoutScripts = { ...RAN };
    delete withoutScripts.scripts;
    const summary = summarise(LOG, 0, withoutScripts);
    assert.equal(summary.ok, false);
    assert.ok(summary.lines.includes('scripts: ran, but has no minimum: add one'));
  });

  test('is red when npm test failed outside any counted test, and says so', () => {
    const summary = summarise(LOG, 1, RAN);
    assert.equal(summary.ok, false);
    assert.ok(summary.lines.includes('npm test exited with status 1 outside the counted tests'));
    assert.equal(lastLine(summary), '887 passed, 1 failed, 0 skipped');
  });

  test("counts failed, skipped, todo and ignored tests of every runner, and node's cancelled ones as failed", () => {
    const esc = String.fromCharCode(27);
    const log = [
      '@nuell/api:test: Tests:       1 failed, 2 skipped, 3 todo, 10 passed, 16 total',
      '@nuell/web:test: [step unit] vitest run',
      `@nuell/web:test: ${esc}[2m      Tests ${esc}[22m ${esc}[1m${esc}[31m1 failed${esc}[39m${esc}[22m${esc}[2m | ${esc}[22m${esc}[1m${esc}[32m3 passed${esc}[39m${esc}[22m${esc}[2m | ${esc}[22m${esc}[33m2 skipped${esc}[39m${esc}[2m | ${esc}[22m1 todo${esc}[90m (7)${esc}[39m`,
      '@nuell/native:test: [step rust] cargo test',
      '@nuell/native:test: test result: FAILED. 5 passed; 1 failed; 3 ignored; 0 measured; 0 filtered out; finished in 0.01s',
      '[step deploy] npm run test:deploy',
      ...['pass 4', 'fail 1', 'cancelled 2', 'skipped 1', 'todo 2'].map((counts) => `ℹ ${counts}`),
    ].join('\n');
    assert.deepEqual(Object.fromEntries(countTests(log)), {
      api: { passed: 10, failed: 1, skipped: 5 },
      'web unit': { passed: 3, failed: 1, skipped: 3 },
      'native rust': { passed: 5, failed: 1, skipped: 3 },
      deploy: { passed: 4, failed: 3, skipped: 3 },
    });
    const summary = summarise(log, 1, { api: 11, 'web unit': 4, 'native rust': 6, deploy: 7 });
    assert.equal(summary.ok, false);
    assert.equal(lastLine(summary), '22 passed, 6 failed, 14 skipped');
  });

  test('a skipped test did not run: it does not count towards the minimum', () => {
    const log = '@nuell/admin:test: Tests:       3 skipped, 40 passed, 43 total';
    assert.equal(summarise(log, 0, { admin: 43 }).ok, false);
  });

  test('the committed minimums name exactly the suites of npm test', () => {
    assert.deepEqual(Object.keys(COMMITTED_MINIMUMS).sort(), Object.keys(RAN).sort());
    for (const [suite, minimum] of Object.entries(COMMITTED_MINIMUMS)) {
      assert.ok(Number.isInteger(minimum) && minimum > 0, `${suite}: ${minimum}`);
    }
  });

  test('the command exits 1 on a red run and 0 on a green one, with the summary as its last line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nuell-ci-summary-'));
    try {
      const summary = (log, minimums) =>
        exec(process.execPath, [new URL('ci-summary.mjs', import.meta.url).pathname, log, '0', minimums]).then(
          ({ stdout }) => ({ code: 0, stdout }),
          (error) => ({ code: error.code, stdout: error.stdout }),
        );
      const minimums = join(dir, 'minimums.json');
      await writeFile(minimums, JSON.stringify(RAN));
      const green = await summary(fixture('npm-test-output.txt').pathname, minimums);
      assert.equal(green.code, 0, green.stdout);
      assert.match(green.stdout, /\n887 passed, 0 failed, 0 skipped\n$/);

      const log = join(dir, 'log');
      await writeFile(log, cut(LOG, '[step e2e]', /@nuell\/admin:test:/));
      const red = await summary(log, minimums);
      assert.equal(red.code, 1, red.stdout);
      assert.match(red.stdout, /web e2e: 0 tests ran/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
