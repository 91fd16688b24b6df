/**
 * Reads an `npm test` log into test counts per suite, and the verdict CI gives on them
 * (scripts/ci-summary.mjs).
 *
 * A suite is named after where its lines come from: turbo's prefix (`@nuell/web:test: …` is
 * `web`) and the last `[step <name>]` line that scripts/run-steps.mjs printed in that stream
 * (`web e2e`); lines outside turbo are the root's (`deploy`). The runners' own summary lines give
 * the counts:
 *
 * - jest: `Tests:       1 failed, 2 skipped, 1 todo, 40 passed, 44 total`
 * - vitest: `Tests  1 failed | 37 passed | 1 skipped | 1 todo (40)`
 * - cargo, once per test binary: `test result: ok. 28 passed; 0 failed; 1 ignored; …`
 * - node's test runner (spec reporter): `ℹ pass 27`, `ℹ fail 0`, `ℹ cancelled 0`, `ℹ skipped 0`,
 *   `ℹ todo 0`; a test cancelled because its setup failed did not pass either, so it counts as
 *   failed.
 *
 * Skipped, todo and ignored tests all count as skipped: none of them ran.
 */

// Colours would split the numbers from their words.
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const TURBO_PREFIX = /^(?:@[\w-]+\/)?([\w.-]+):test: ?/;
const STEP_HEADER = /^\[step ([\w-]+)\] /;

const JEST = /^\s*Tests:\s+(.*\d+ total)\s*$/;
const VITEST = /^\s*Tests {2,}(.*)\(\d+\)\s*$/;
const CARGO = /test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored;/;
const NODE_TEST = /^ℹ (pass|fail|cancelled|skipped|todo) (\d+)\s*$/;

const KIND = { passed: 'passed', failed: 'failed', skipped: 'skipped', todo: 'skipped' };
const NODE_KIND = { pass: 'passed', fail: 'failed', cancelled: 'failed', skipped: 'skipped', todo: 'skipped' };

/** `N word` pairs of a jest or vitest summary, as counts. */
function wordCounts(text) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const [, n, word] of text.matchAll(/(\d+) (\w+)/g)) {
    if (word in KIND) counts[KIND[word]] += Number(n);
  }
  return counts;
}

/** The counts a summary line carries, or null for any other line. */
function lineCounts(line) {
  const jest = JEST.exec(line) ?? VITEST.exec(line);
  if (jest) return wordCounts(jest[1]);
  const cargo = CARGO.exec(line);
  if (cargo) return { passed: Number(cargo[1]), failed: Number(cargo[2]), skipped: Number(cargo[3]) };
  const node = NODE_TEST.exec(line);
  if (node) return { passed: 0, failed: 0, skipped: 0, [NODE_KIND[node[1]]]: Number(node[2]) };
  return null;
}

/**
 * The counts per suite in a log: a Map from suite name to { passed, failed, skipped }, holding
 * only the suites that printed a summary line.
 */
export function countTests(log) {
  const suites = new Map();
  const stepOf = new Map(); // stream (workspace, or '' for the root) → its current step
  for (const raw of log.replace(ANSI_COLOUR, '').split('\n')) {
    const prefix = TURBO_PREFIX.exec(raw);
    const stream = prefix?.[1] ?? '';
    const line = prefix ? raw.slice(prefix[0].length) : raw;
    const step = STEP_HEADER.exec(line);
    if (step) {
      stepOf.set(stream, step[1]);
      continue;
    }
    const counts = lineCounts(line);
    if (!counts) continue;
    const suite = [stream, stepOf.get(stream)].filter(Boolean).join(' ') || 'root';
    const total = suites.get(suite) ?? { passed: 0, failed: 0, skipped: 0 };
    for (const key of Object.keys(total)) total[key] += counts[key];
    suites.set(suite, total);
  }
  return suites;
}

const sum = (suites, key) => [...suites.values()].reduce((n, counts) => n + counts[key], 0);

/**
 * The summary of a run: a line per suite, the problems, and last the line CI reads,
 * `N passed, N failed, N skipped`. `ok` only when `npm test` exited 0, no test failed, and every
 * suite in `minimums` (suite name → fewest tests that must run) ran at least that many, and no
 * other suite ran. A suite short of its minimum, a suite without one, and a non-zero exit with no
 * failed test each count as one failure, so that the last line never reads 0 failed on a red run.
 */
export function summarise(log, status, minimums) {
  const suites = countTests(log);
  const problems = [];
  for (const [suite, minimum] of Object.entries(minimums)) {
    const { passed = 0, failed = 0 } = suites.get(suite) ?? {};
    if (passed + failed < minimum) {
      problems.push(`${suite}: ${passed + failed} tests ran, fewer than its minimum of ${minimum}`);
    }
  }
  for (const suite of suites.keys()) {
    if (!(suite in minimums)) problems.push(`${suite}: ran, but has no minimum: add one`);
  }
  let failed = sum(suites, 'failed') + problems.length;
  if (status !== 0 && failed === 0) {
    // Something failed outside any counted test (a build, a suite that could not start).
    problems.push(`npm test exited with status ${status} outside the counted tests`);
    failed = 1;
  }
  const width = Math.max(0, ...[...suites.keys(), ...Object.keys(minimums)].map((name) => name.length));
  const lines = [...new Set([...Object.keys(minimums), ...suites.keys()])].map((suite) => {
    const { passed = 0, failed: f = 0, skipped = 0 } = suites.get(suite) ?? {};
    const minimum = suite in minimums ? `, at least ${minimums[suite]}` : '';
    return `${suite.padEnd(width)}  ${passed} passed, ${f} failed, ${skipped} skipped${minimum}`;
  });
  lines.push(...problems, `${sum(suites, 'passed')} passed, ${failed} failed, ${sum(suites, 'skipped')} skipped`);
  return { ok: status === 0 && failed === 0, lines };
}
