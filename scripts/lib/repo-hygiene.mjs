/**
 * What must never be committed, because it belongs to one machine or one run: log files (a V8
 * profile, a test run's output) and symbolic links that point outside the repository or by an
 * absolute path, which resolve nowhere on any other checkout. Reads git's index, so a file staged
 * for the next commit counts as committed.
 */
import { execFile } from 'node:child_process';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const SYMLINK_MODE = '120000';

/** The problems of the repository at `dir`, one line each; empty when there are none. */
export async function hygieneProblems(dir) {
  const git = (...args) => exec('git', ['-C', dir, ...args], { maxBuffer: 64 * 1024 * 1024 });
  const { stdout } = await git('ls-files', '--stage', '-z');
  const problems = [];
  for (const entry of stdout.split('\0').filter(Boolean)) {
    const [meta, path] = entry.split('\t');
    const [mode, object] = meta.split(' ');
    if (/\.log$/i.test(path)) problems.push(`${path}: a log file is committed (git rm --cached it; *.log is ignored)`);
    if (mode !== SYMLINK_MODE) continue;
    const target = (await git('cat-file', 'blob', object)).stdout;
    if (isAbsolute(target)) {
      problems.push(`${path}: a symbolic link to an absolute path (${target}), which exists only on one machine`);
    } else if (`${relative(dir, join(dir, posix.dirname(path), target))}${sep}`.startsWith(`..${sep}`)) {
      problems.push(`${path}: a symbolic link out of the repository (${target})`);
    }
  }
  return problems;
}
