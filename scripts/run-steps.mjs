#!/usr/bin/env node
/**
 * Runs named steps one after another, each whatever happened to the ones before, so that one
 * failing suite does not hide the others: `npm test` and the test scripts that run two runners
 * use it. Before each step it prints `[step <name>] <command>`, the line scripts/ci-summary.mjs
 * reads to tell apart suites of the same runner. Exits 1 if any step failed.
 * Usage: node scripts/run-steps.mjs '<name>=<command>' …
 */
import { spawn } from 'node:child_process';

const steps = process.argv.slice(2).map((arg) => {
  const match = /^([\w-]+)=(.+)$/s.exec(arg);
  if (!match) {
    console.error(`run-steps: "${arg}" is not <name>=<command>`);
    process.exit(2);
  }
  return { name: match[1], command: match[2] };
});

// Ctrl-C reaches the running step too (same process group): let it stop, then run nothing more.
let interrupted = false;
process.on('SIGINT', () => (interrupted = true));

function runStep({ name, command }) {
  console.log(`[step ${name}] ${command}`);
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: 'inherit' });
    child.once('error', (error) => resolve(`could not start: ${error.message}`));
    child.once('exit', (code, signal) => resolve(code === 0 ? null : (signal ?? `exit ${code}`)));
  });
}

const failed = [];
for (const step of steps) {
  if (interrupted) break;
  const failure = await runStep(step);
  if (failure) {
    console.log(`[step ${step.name}] failed (${failure})`);
    failed.push(step.name);
  }
}
if (failed.length > 0) console.log(`run-steps: failed: ${failed.join(', ')}`);
process.exit(interrupted ? 130 : failed.length > 0 ? 1 : 0);
