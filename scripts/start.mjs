#!/usr/bin/env node
/**
 * `npm start` (and `npm run dev`): runs the local stack (scripts/lib/stack.mjs) in a process group
 * of its own and passes Ctrl-C on to it. A terminal's Ctrl-C signals its whole foreground process
 * group at once, so without this PostgreSQL would stop while the API still worked its e-mail
 * queue (and log alarming errors); this way the stack alone decides the order: the web server,
 * the panel, the API (which drains), then PostgreSQL. If this process dies, the stack sees its
 * channel close and stops too.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const stack = spawn(
  process.execPath,
  [fileURLToPath(new URL('lib/stack.mjs', import.meta.url)), ...process.argv.slice(2)],
  {
    detached: true,
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  },
);
const forward = () => {
  if (stack.exitCode === null) stack.kill('SIGTERM');
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
stack.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
