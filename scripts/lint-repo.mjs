#!/usr/bin/env node
/**
 * `npm run lint`'s check of the repository itself: nothing committed that belongs to one machine
 * (log files, symbolic links out of the tree: scripts/lib/repo-hygiene.mjs), and the GitHub
 * workflow as actionlint reads it (installed into .tools/ on first use). Prints each problem;
 * exits 1 if there is one.
 */
import { hygieneProblems } from './lib/repo-hygiene.mjs';
import { execWithDeadline } from './lib/bounded-process.mjs';
import { ROOT } from './lib/dev-env.mjs';
import { actionlint } from './lib/tools.mjs';

async function workflowProblems() {
  try {
    await execWithDeadline(await actionlint(), ['-no-color'], { cwd: ROOT });
    return [];
  } catch (error) {
    if (typeof error.code !== 'number') throw error;
    return [`${error.stdout}${error.stderr}`.trim()];
  }
}

const problems = [...(await hygieneProblems(ROOT)), ...(await workflowProblems())];
for (const problem of problems) console.error(problem);
process.exit(problems.length > 0 ? 1 : 0);
