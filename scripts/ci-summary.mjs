#!/usr/bin/env node
/**
 * Sums the test counts of every suite in a `npm test` log (jest's "Tests:" lines, vitest's
 * "Tests  … (N)" lines, which cover the web app's unit and end-to-end runs, node's test runner's
 * "ℹ pass N" / "ℹ fail N" lines for the deployment tests, and cargo's "test result:" lines) into
 * the single line CI reads: `N passed, N failed`.
 * Usage: node scripts/ci-summary.mjs <log file> <exit status of npm test>
 */
import { readFileSync } from 'node:fs';

const [file, statusArg = '0'] = process.argv.slice(2);
// Colours would split the numbers from their words.
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const log = readFileSync(file, 'utf8').replace(ANSI_COLOUR, '');
let passed = 0;
let failed = 0;

for (const [, counts] of log.matchAll(/Tests:\s+([^\n]*\d+ total)/g)) {
  passed += Number(/(\d+) passed/.exec(counts)?.[1] ?? 0);
  failed += Number(/(\d+) failed/.exec(counts)?.[1] ?? 0);
}
// vitest: "Tests  2 failed | 37 passed | 1 skipped (40)"
for (const [, counts] of log.matchAll(/Tests {2,}([^\n]*\(\d+\))/g)) {
  passed += Number(/(\d+) passed/.exec(counts)?.[1] ?? 0);
  failed += Number(/(\d+) failed/.exec(counts)?.[1] ?? 0);
}
// node's test runner (the deployment tests), spec reporter: "ℹ pass 27", "ℹ fail 0" and
// "ℹ cancelled 0" lines; a test cancelled because its setup failed did not pass either.
for (const [, p] of log.matchAll(/^ℹ pass (\d+)$/gm)) passed += Number(p);
for (const [, f] of log.matchAll(/^ℹ (?:fail|cancelled) (\d+)$/gm)) failed += Number(f);
for (const [, p, f] of log.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
  passed += Number(p);
  failed += Number(f);
}

const status = Number(statusArg);
if (status !== 0 && failed === 0) {
  // Something failed outside any counted test (a build, a suite that could not start).
  console.log(`npm test exited with status ${status} outside the counted tests`);
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(status === 0 && failed === 0 ? 0 : 1);
