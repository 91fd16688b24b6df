/**
 * The Dockerfiles, read rather than built (no Docker engine runs here): hadolint finds nothing
 * at warning level or above, and each image is what the deployment relies on.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { dockerfiles, filledComposeEnv, lintDockerfiles, loadCompose } from '../../scripts/lib/deploy-checks.mjs';
import { ROOT } from '../../scripts/lib/dev-env.mjs';

/** A Dockerfile's stages: each FROM line with the instructions under it. */
function stages(text) {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'));
  const result = [];
  for (const line of lines) {
    const [instruction, ...rest] = line.trim().split(/\s+/);
    if (instruction.toUpperCase() === 'FROM') result.push({ from: rest[0], instructions: [] });
    else result.at(-1)?.instructions.push({ instruction: instruction.toUpperCase(), args: rest.join(' ') });
  }
  return result;
}

const files = await dockerfiles();
const read = async (name) => readFile(join(ROOT, 'docker', name), 'utf8');

describe('the Dockerfiles', () => {
  test('are the three images, and hadolint finds nothing at warning level', async () => {
    assert.deepEqual(files.map((f) => basename(f)).sort(), ['admin.Dockerfile', 'api.Dockerfile', 'web.Dockerfile']);
    assert.deepEqual(await lintDockerfiles(files), []);
  });

  test('hadolint does fail a Dockerfile with a warning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nuell-hadolint-'));
    try {
      await writeFile(join(dir, 'bad.Dockerfile'), 'FROM node\nRUN npm install -g npm\n');
      const problems = await lintDockerfiles([join(dir, 'bad.Dockerfile')]);
      assert.match(problems.join('\n'), /DL3006/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  for (const [name, port, start] of [
    ['api.Dockerfile', '3001', 'api/dist/main.js'],
    ['admin.Dockerfile', '3002', 'admin/dist/main.js'],
  ]) {
    test(`${name}: builds the addon inside, runs on node 24 slim with production dependencies only`, async () => {
      const all = stages(await read(name));
      const build = all.find(
        (s) =>
          s.from.startsWith('node:24') &&
          s.instructions.some((i) => /npm run build --workspace @nuell\/native/.test(i.args)),
      );
      assert.ok(build, 'a build stage compiles the Rust addon');
      assert.ok(
        build.instructions.some((i) => i.instruction === 'COPY' && i.args.includes('/usr/local/cargo')),
        'with a Rust toolchain',
      );
      const final = all.at(-1);
      assert.match(final.from, /^node:24-[a-z]+-slim$/);
      const deps = all.find((s) => s.instructions.some((i) => /npm ci --omit=dev/.test(i.args)));
      assert.ok(deps && deps.from === final.from, 'production dependencies installed on the runtime base');
      assert.ok(
        final.instructions.some((i) => i.instruction === 'COPY' && /--from=deps \/app\/node_modules/.test(i.args)),
      );
      assert.ok(
        !final.instructions.some((i) => i.instruction === 'RUN' && /npm (ci|install)(?!.*--omit=dev)/.test(i.args)),
      );
      const cmd = final.instructions.find((i) => i.instruction === 'CMD');
      assert.ok(cmd.args.includes(start));
      assert.ok(final.instructions.some((i) => i.instruction === 'EXPOSE' && i.args === port));
    });
  }

  test('every image runs as an unprivileged user, with a health check and no secret baked in', async () => {
    for (const file of files) {
      const final = stages(await readFile(file, 'utf8')).at(-1);
      const user = final.instructions.findLast((i) => i.instruction === 'USER');
      assert.ok(user && !/^(root|0)(:|$)/.test(user.args), `${basename(file)} ends as a user other than root`);
      assert.ok(
        final.instructions.some((i) => i.instruction === 'HEALTHCHECK' && !/^NONE/.test(i.args)),
        `${basename(file)} has a HEALTHCHECK`,
      );
      for (const { instruction, args } of stages(await readFile(file, 'utf8')).flatMap((s) => s.instructions)) {
        if (instruction === 'ENV' || instruction === 'ARG') {
          assert.doesNotMatch(
            args,
            /SECRET|PASSWORD|TOKEN|DATABASE_URL|SMTP_URL/,
            `${basename(file)}: ${instruction} ${args}`,
          );
        }
      }
    }
  });

  test("the web image is Caddy with the Caddyfile and the API image's build of the app inside", async () => {
    const web = stages(await read('web.Dockerfile'));
    const final = web.at(-1);
    assert.match(final.from, /^caddy:2/);
    const copies = final.instructions.filter((i) => i.instruction === 'COPY').map((i) => i.args);
    assert.ok(copies.includes('Caddyfile /etc/caddy/Caddyfile'));
    assert.ok(copies.includes('--from=api /app/web/.output/public /srv'));
    // The pages the API fills in must load files Caddy has: one build, never two. The `api`
    // stage is a placeholder for the API image, which compose passes in its place.
    assert.deepEqual(
      web.filter((s) => s.from !== final.from),
      [{ from: 'scratch', instructions: [] }],
      'the web image builds nothing of the app itself',
    );
    assert.match(await read('web.Dockerfile'), /^FROM scratch AS api$/m);
    const api = stages(await read('api.Dockerfile'));
    assert.ok(
      api.some((s) => s.instructions.some((i) => /npm run build --workspace @nuell\/web/.test(i.args))),
      'the API image builds the web app',
    );
    assert.ok(
      api.at(-1).instructions.some((i) => i.args === '--from=web /app/web/.output/public web/.output/public'),
      'and carries it where WEB_SHELL looks by default',
    );
    const compose = await loadCompose(await filledComposeEnv());
    assert.equal(compose.project.services.caddy.build.additional_contexts?.api, 'service:api');
  });

  test('.dockerignore keeps installed, built and local files (and secrets) out of the build', async () => {
    const ignored = (await readFile(join(ROOT, '.dockerignore'), 'utf8')).split('\n').map((l) => l.trim());
    for (const pattern of ['**/node_modules', '**/target', '.data', '.env', '.env.*', '.git']) {
      assert.ok(ignored.includes(pattern), `${pattern} is ignored`);
    }
  });
});
