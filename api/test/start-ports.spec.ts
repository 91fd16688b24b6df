/**
 * README: a port already in use stops `npm start` with a line naming the variable to set. PORT and
 * WEB_PORT are checked before anything is built, so `npm start` itself is run; the other ports are
 * checked later, after a build and with PostgreSQL running, by the functions `npm start` calls and
 * whose message it prints before it stops (scripts/start.mjs), which are called here directly.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startControlPanel } from '../../scripts/lib/admin.mjs';
import { startMailCatcher } from '../../scripts/lib/dev-env.mjs';
import { freePort, startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres.mjs';

const START = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));

/** A port something else listens on, for the length of `use`. */
async function whileTaken<T>(use: (port: number) => Promise<T>): Promise<T> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    return await use(port);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Runs `npm start` (scripts/start.mjs) to its end; its exit code and what it printed. */
function npmStart(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [START], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm start with a port already in use', () => {
  it.each(['PORT', 'WEB_PORT'])('stops before building, naming %s', async (variable) => {
    await whileTaken(async (taken) => {
      const ports = { PORT: String(await freePort()), WEB_PORT: String(await freePort()), [variable]: String(taken) };
      const { code, stdout, stderr } = await npmStart(ports);
      expect(code).toBe(1);
      expect(stderr).toContain(`port ${taken} is already in use; set ${variable} to another port`);
      expect(stdout).not.toMatch(/building/);
    });
  });

  it('names EMBEDDED_PG_PORT when the embedded PostgreSQL cannot have its port', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'nuell-start-ports-'));
    try {
      await whileTaken(async (taken) => {
        await expect(startEmbeddedPostgres({ dataDir, port: taken, password: 'unused' })).rejects.toThrow(
          `port ${taken} is already in use; set EMBEDDED_PG_PORT to another port`,
        );
      });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it.each(['MAILDEV_SMTP_PORT', 'MAILDEV_WEB_PORT'])(
    'names %s when the mail catcher cannot have it',
    async (variable) => {
      const saved = { smtp: process.env.MAILDEV_SMTP_PORT, web: process.env.MAILDEV_WEB_PORT };
      try {
        await whileTaken(async (taken) => {
          process.env.MAILDEV_SMTP_PORT = String(await freePort());
          process.env.MAILDEV_WEB_PORT = String(await freePort());
          process.env[variable] = String(taken);
          await expect(startMailCatcher({})).rejects.toThrow(
            `port ${taken} is already in use; set MAILDEV_SMTP_PORT / MAILDEV_WEB_PORT or SMTP_URL`,
          );
        });
      } finally {
        for (const [name, value] of [
          ['MAILDEV_SMTP_PORT', saved.smtp],
          ['MAILDEV_WEB_PORT', saved.web],
        ] as const) {
          if (value === undefined) Reflect.deleteProperty(process.env, name);
          else process.env[name] = value;
        }
      }
    },
  );

  it('names ADMIN_PORT when the control panel cannot have its port', async () => {
    await whileTaken(async (taken) => {
      const exited: string[] = [];
      await expect(startControlPanel({ ADMIN_PORT: String(taken) }, (how) => exited.push(how))).rejects.toThrow(
        `port ${taken} is already in use; set ADMIN_PORT to another port`,
      );
      expect(exited).toEqual([]); // refused before any panel process was started
    });
  });
});
