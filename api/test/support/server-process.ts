/** The built API (`dist/main.js`, which `npm test` builds first) as a process of its own. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface ServerProcess {
  readonly child: ReturnType<typeof spawn>;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  stderr(): string;
}

export function startServer(env: Record<string, string>): ServerProcess {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the API first (npm test does)`);
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env } });
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
