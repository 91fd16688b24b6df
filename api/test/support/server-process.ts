/** A built server (`dist/main.js`, which `npm test` builds first) as a process of its own. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { accepts } from './raw-http.js';

const API_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface ServerProcess {
  readonly child: ReturnType<typeof spawn>;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/** Starts the built API, or another built entry point (the panel's `admin/dist/main.js`). */
export function startServer(env: Record<string, string>, main = API_MAIN): ServerProcess {
  if (!existsSync(main)) throw new Error(`${main} is missing: build it first (npm test does)`);
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', ...env } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
    }),
  );
  return { child, exited, stderr: () => stderr };
}

export async function waitForHttp(url: string, ms = 20_000): Promise<Response> {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    try {
      return await fetch(url);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

/** Whether `port` accepted a TCP connection at any moment before `until` settled (tried every few ms). */
export async function openedBefore(port: number, until: Promise<unknown>): Promise<boolean> {
  const state = { over: false };
  void until.finally(() => {
    state.over = true;
  });
  while (!state.over) {
    if (await accepts(port)) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}
