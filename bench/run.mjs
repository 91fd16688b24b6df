#!/usr/bin/env node
/**
 * `npm run bench`: builds everything, then runs each benchmark in turn. Each one measures its
 * reference in the same run and prints a closing ratio line; results land in bench/results/.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../scripts/lib/dev-env.mjs';
import { run } from '../scripts/lib/run.mjs';

const BENCHMARKS = [
  { name: 'login', command: [process.execPath, [join(ROOT, 'bench/login.mjs')]] },
  { name: 'feed', command: [process.execPath, [join(ROOT, 'bench/feed.mjs')]] },
  { name: 'live', command: [process.execPath, [join(ROOT, 'bench/live.mjs')]] },
  { name: 'hostile-bodies', command: [process.execPath, [join(ROOT, 'bench/hostile-bodies.mjs')]] },
  { name: 'resilience', command: [process.execPath, [join(ROOT, 'bench/resilience.mjs')]] },
  { name: 'web', command: [process.execPath, [join(ROOT, 'web/bench.mjs')]] },
  { name: 'dashboard', command: [process.execPath, [join(ROOT, 'bench/dashboard.mjs')]] },
  { name: 'panel', command: [process.execPath, [join(ROOT, 'bench/panel.mjs')]] },
  {
    name: 'native',
    when: () => existsSync(join(ROOT, 'native/package.json')),
    command: ['npm', ['run', 'bench', '-w', '@nuell/native']],
  },
];

await run(join(ROOT, 'node_modules/.bin/turbo'), ['run', 'build', '--output-logs=errors-only'], { cwd: ROOT });
const only = process.argv[2];
for (const bench of BENCHMARKS) {
  if ((only && bench.name !== only) || (bench.when && !bench.when())) continue;
  console.log(`\n== ${bench.name} ==`);
  const [command, args] = bench.command;
  await run(command, args, { cwd: ROOT, env: { ...process.env, BENCH_RESULTS_DIR: join(ROOT, 'bench/results') } });
}
