#!/usr/bin/env node
/**
 * CI's verdict on a `npm test` log (.ci/run): the tests each suite ran, then the line CI reads,
 * `N passed, N failed, N skipped`. Exits 1 when a test failed, when `npm test` did, or when a
 * suite ran fewer tests than its minimum in .ci/minimums.json (scripts/lib/test-summary.mjs).
 * Usage: node scripts/ci-summary.mjs <log file> <exit status of npm test> [<minimums file>]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { summarise } from './lib/test-summary.mjs';

const MINIMUMS = fileURLToPath(new URL('../.ci/minimums.json', import.meta.url));

const [file, statusArg, minimumsFile = MINIMUMS] = process.argv.slice(2);
if (!file || !/^\d+$/.test(statusArg ?? '')) {
  console.error('usage: node scripts/ci-summary.mjs <log file> <exit status of npm test> [<minimums file>]');
  process.exit(2);
}
const minimums = JSON.parse(readFileSync(minimumsFile, 'utf8'));
const { ok, lines } = summarise(readFileSync(file, 'utf8'), Number(statusArg), minimums);
for (const line of lines) console.log(line);
process.exit(ok ? 0 : 1);
