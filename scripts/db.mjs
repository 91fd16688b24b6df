#!/usr/bin/env node
/**
 * `npm run db:migrate | db:revert | db:seed | posts:rerender` from the repository root: builds the API if needed,
 * then runs the command against DATABASE_URL, or against the embedded server that `npm start`
 * uses: started for the command and stopped after it, or, while `npm start` runs, the server it
 * runs (db:revert asks to stop npm start first).
 */
import { join } from 'node:path';
import { prepareEnvironment, ROOT } from './lib/dev-env.mjs';
import { ServerRunning } from './lib/embedded-postgres.mjs';
import { run } from './lib/run.mjs';

const command = process.argv[2];
if (!['migrate', 'revert', 'seed', 'rerender'].includes(command)) {
  console.error('usage: node scripts/db.mjs <migrate|revert|seed|rerender>');
  process.exit(2);
}

await run(join(ROOT, 'node_modules/.bin/turbo'), ['run', 'build', '--filter=@nuell/api', '--output-logs=errors-only'], {
  cwd: ROOT,
});
let prepared;
try {
  // revert changes the schema under the running API: that one waits until npm start is stopped.
  prepared = await prepareEnvironment({ shareRunning: command !== 'revert' });
} catch (error) {
  if (!(error instanceof ServerRunning)) throw error;
  console.error(
    `npm start is running (PostgreSQL pid ${error.pid}). Stop it with Ctrl-C in its terminal, then run "npm run db:${command}" again.`,
  );
  process.exit(1);
}
const { env, database } = prepared;
if (database.shared) console.log(`using the PostgreSQL of the running npm start (port ${database.port})`);
let code = 0;
try {
  await run(process.execPath, [join(ROOT, 'api/dist/cli/main.js'), command], { env });
} catch (error) {
  console.error(error.message);
  code = 1;
} finally {
  await database.stop();
}
process.exit(code);
