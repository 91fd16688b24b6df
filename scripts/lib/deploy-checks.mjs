/**
 * Static checks of the deployment files, shared by `npm run lint` (scripts/lint-deploy.mjs) and
 * the deployment tests (docker/test/): nothing here can build an image or start a container (no
 * Docker engine runs where these checks do), so each file is checked by the tool that reads it.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execWithDeadline } from './bounded-process.mjs';
import { ROOT } from './dev-env.mjs';
import { composeCheck, hadolint } from './tools.mjs';

export const CADDYFILE = join(ROOT, 'Caddyfile');
export const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
export const COMPOSE_ENV_EXAMPLE = join(ROOT, 'docker', 'compose.env.example');

/** Runs a command; resolves with its exit code and output instead of throwing on failure. */
async function outcome(command, args, options = {}) {
  try {
    const { stdout, stderr } = await execWithDeadline(command, args, options);
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (error.code === 'ENOENT') throw new Error(`${command} is missing`, { cause: error });
    return {
      code: typeof error.code === 'number' ? error.code : 1,
      stdout: error.stdout ?? '',
      stderr: error.timedOut ? error.message : (error.stderr ?? ''),
    };
  }
}

/** The Dockerfiles under docker/. */
export async function dockerfiles() {
  return (await readdir(join(ROOT, 'docker')))
    .filter((f) => f.endsWith('.Dockerfile'))
    .map((f) => join(ROOT, 'docker', f));
}

/** Problems hadolint reports at level warning or above, one line each; empty when clean. */
export async function lintDockerfiles(files) {
  const { code, stdout, stderr } = await outcome(await hadolint(), [
    '--no-color',
    '--failure-threshold',
    'warning',
    ...files,
  ]);
  return code === 0 ? [] : [`${stdout}${stderr}`.trim() || `hadolint exited ${code}`];
}

/** A Caddyfile's problems: not as `caddy fmt` writes it, or refused by `caddy validate`. */
export async function checkCaddyfile(file = CADDYFILE, env = {}) {
  const problems = [];
  const formatted = await outcome('caddy', ['fmt', file]);
  if (formatted.code !== 0) problems.push(`caddy fmt: ${formatted.stderr.trim()}`);
  else if (formatted.stdout !== (await readFile(file, 'utf8'))) {
    problems.push(`${file} is not formatted as \`caddy fmt\` writes it (caddy fmt --overwrite ${file})`);
  }
  // Validating provisions the configuration, certificates authority included: in a scratch home.
  const home = await mkdtemp(join(tmpdir(), 'nuell-caddy-'));
  try {
    const validated = await outcome('caddy', ['validate', '--config', file, '--adapter', 'caddyfile'], {
      env: { ...process.env, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home, ...env },
    });
    if (validated.code !== 0)
      problems.push(`caddy validate: ${validated.stderr.trim().split('\n').slice(-3).join('\n')}`);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
  return problems;
}

/**
 * Loads docker-compose.yml as `docker compose` would, with these variables (KEY=value lines) as
 * its .env: resolves with the model ({ ok: true, project }) or the loader's refusal
 * ({ ok: false, error }).
 */
export async function loadCompose(envText, file = COMPOSE_FILE) {
  const dir = await mkdtemp(join(tmpdir(), 'nuell-compose-'));
  try {
    const envFile = join(dir, '.env');
    await writeFile(envFile, envText);
    const { code, stdout, stderr } = await outcome(await composeCheck(), ['-env-file', envFile, file]);
    return code === 0 ? { ok: true, project: JSON.parse(stdout) } : { ok: false, error: stderr.trim() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** docker/compose.env.example with its required values filled in with throwaway ones. */
export async function filledComposeEnv(overrides = {}) {
  const values = {
    SITE_ADDRESS: 'nuell.example.com',
    POSTGRES_PASSWORD: 'a-throwaway-password-for-checks-only',
    JWT_SECRET: 'a-throwaway-secret-for-checks-only-0123456789',
    ...overrides,
  };
  const lines = (await readFile(COMPOSE_ENV_EXAMPLE, 'utf8')).split('\n').map((line) => {
    const name = /^([A-Z_]+)=/.exec(line)?.[1];
    return name && name in values ? `${name}=${values[name]}` : line;
  });
  return lines.join('\n');
}
