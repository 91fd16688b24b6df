/**
 * The hygiene check of `npm run lint` on a scratch repository: it must find a committed log and
 * links that leave the tree, and let an ordinary link inside it be.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { hygieneProblems } from './repo-hygiene.mjs';

const exec = promisify(execFile);
let dir;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nuell-hygiene-'));
  await exec('git', ['init', '--quiet', dir]);
  await mkdir(join(dir, 'web'));
  await writeFile(join(dir, 'README.md'), 'hello\n');
  await symlink('../README.md', join(dir, 'web', 'readme'));
});

after(() => rm(dir, { recursive: true, force: true }));

const add = (...paths) => exec('git', ['-C', dir, 'add', ...paths]);

describe('repository hygiene', () => {
  test('finds nothing in a clean repository with a link inside it', async () => {
    await add('README.md', 'web/readme');
    assert.deepEqual(await hygieneProblems(dir), []);
  });

  test('finds a staged log file, an absolute link and a link out of the tree', async () => {
    await writeFile(join(dir, 'isolate-0x1-1-v8.log'), 'v8-version,13\n');
    await symlink('/work/elsewhere/web/.output/public', join(dir, 'web', 'dist'));
    await symlink('../../outside', join(dir, 'web', 'up'));
    await add('isolate-0x1-1-v8.log', 'web/dist', 'web/up');
    assert.deepEqual(await hygieneProblems(dir), [
      'isolate-0x1-1-v8.log: a log file is committed (git rm --cached it; *.log is ignored)',
      'web/dist: a symbolic link to an absolute path (/work/elsewhere/web/.output/public), which exists only on one machine',
      'web/up: a symbolic link out of the repository (../../outside)',
    ]);
  });
});
