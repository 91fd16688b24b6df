/**
 * Starts the real stack (e2e/stack.mjs) in a process of its own for the whole run, hands its URLs
 * to the tests, and stops it afterwards.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    webUrl: string;
    apiUrl: string;
    maildevUrl: string;
    /** The stack's database, for what only an operator does (hiding a post, suspending an account). */
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // While working on the tests: reuse a stack started with `node e2e/stack.mjs` (pass its line).
  const running = process.env.NUELL_E2E_STACK;
  if (running) {
    const urls = JSON.parse(running) as { webUrl: string; apiUrl: string; maildevUrl: string; databaseUrl: string };
    project.provide('webUrl', urls.webUrl);
    project.provide('apiUrl', urls.apiUrl);
    project.provide('maildevUrl', urls.maildevUrl);
    project.provide('databaseUrl', urls.databaseUrl);
    return;
  }
  const stack = spawn(process.execPath, [fileURLToPath(new URL('stack.mjs', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => stack.once('exit', resolve));
  const ready = await new Promise<{ webUrl: string; apiUrl: string; maildevUrl: string; databaseUrl: string }>(
    (resolve, reject) => {
      stack.once('exit', (code) => reject(new Error(`the end-to-end stack exited (${code}) before it was ready`)));
      createInterface({ input: stack.stdout }).on('line', (line) => {
        if (line.startsWith('nuell-stack-ready ')) resolve(JSON.parse(line.slice('nuell-stack-ready '.length)));
      });
    },
  );
  project.provide('webUrl', ready.webUrl);
  project.provide('apiUrl', ready.apiUrl);
  project.provide('maildevUrl', ready.maildevUrl);
  project.provide('databaseUrl', ready.databaseUrl);
  return async () => {
    stack.kill('SIGTERM');
    await exited;
  };
}
