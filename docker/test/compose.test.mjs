/**
 * docker-compose.yml, loaded by compose-go (the library inside `docker compose`) against the
 * Compose specification, and what matters in it: it refuses to start without its secrets, every
 * service says when it is ready, migrations come first, and only Caddy can be reached.
 * (No Docker engine runs here: the file is read, never started.)
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { COMPOSE_FILE, filledComposeEnv, loadCompose } from '../../scripts/lib/deploy-checks.mjs';
import { ROOT } from '../../scripts/lib/dev-env.mjs';

const REQUIRED = ['SITE_ADDRESS', 'POSTGRES_PASSWORD', 'JWT_SECRET'];
const SECRET = /PASSWORD|SECRET|TOKEN/;

let project;
before(async () => {
  const loaded = await loadCompose(await filledComposeEnv());
  assert.ok(loaded.ok, loaded.error);
  project = loaded.project;
});

describe('docker-compose.yml', () => {
  test('is a valid Compose file: a misspelt key is refused', async () => {
    const text = await readFile(COMPOSE_FILE, 'utf8');
    const dir = await mkdtemp(join(tmpdir(), 'nuell-compose-'));
    try {
      const misspelt = join(dir, 'docker-compose.yml');
      await writeFile(misspelt, text.replace('      replicas: 2', '      replica: 2'));
      const loaded = await loadCompose(await filledComposeEnv(), misspelt);
      assert.equal(loaded.ok, false);
      assert.match(loaded.error, /replica/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('refuses to start while a required value is empty, naming it', async () => {
    const loaded = await loadCompose(await readFile(join(ROOT, 'docker', 'compose.env.example'), 'utf8'));
    assert.equal(loaded.ok, false);
    for (const name of REQUIRED) assert.match(loaded.error, new RegExp(`required variable ${name} is missing a value`));
  });

  test('gives no secret a default', async () => {
    const text = await readFile(COMPOSE_FILE, 'utf8');
    const references = [...text.matchAll(/\$\{([A-Z_]+)(:?[-?+])?([^}]*)\}/g)];
    const secrets = references.filter(([, name]) => SECRET.test(name));
    assert.ok(secrets.length >= 4, 'the secrets are referenced');
    for (const [reference, name, operator, rest] of secrets) {
      // Required (`:?message`), or optional with nothing in its place (`:-` and an empty rest).
      const required = operator === ':?';
      const optionalEmpty = operator === ':-' && rest === '';
      assert.ok(
        required || optionalEmpty,
        `${reference}: a secret must be required or empty, never defaulted (${name})`,
      );
    }
    for (const name of ['POSTGRES_PASSWORD', 'JWT_SECRET']) {
      const uses = secrets.filter(([, n]) => n === name);
      assert.ok(
        uses.length > 0 && uses.every(([, , operator]) => operator === ':?'),
        `${name} is required wherever it is used`,
      );
    }
  });

  test('runs PostgreSQL 17 on a named volume, with a health check', () => {
    const postgres = project.services.postgres;
    assert.equal(postgres.image, 'postgres:17');
    const data = postgres.volumes.find((v) => v.target === '/var/lib/postgresql/data');
    assert.equal(data?.type, 'volume');
    assert.ok(project.volumes[data.source], 'a named volume');
    assert.ok(postgres.healthcheck?.test?.length, 'postgres has a health check');
  });

  test('runs two API replicas, each healthy before Caddy routes to it', async () => {
    assert.equal(project.services.api.deploy.replicas, 2);
    // Caddy health-checks each replica by its container name (project "nuell", service "api").
    assert.equal(project.name, 'nuell');
    const upstreams = project.services.caddy.environment.API_UPSTREAMS.split(/\s+/);
    assert.deepEqual(upstreams, ['nuell-api-1:3001', 'nuell-api-2:3001']);
    assert.equal(project.services.caddy.depends_on.api.condition, 'service_healthy');
  });

  test('every service is healthy or finished before those that need it start', async () => {
    const services = project.services;
    const waitedOnToFinish = new Set(
      Object.values(services).flatMap((s) =>
        Object.entries(s.depends_on ?? {})
          .filter(([, d]) => d.condition === 'service_completed_successfully')
          .map(([name]) => name),
      ),
    );
    for (const [name, service] of Object.entries(services)) {
      if (service.profiles?.length) continue; // tools run by hand (`docker compose run`), never by `up`
      if (waitedOnToFinish.has(name)) {
        assert.notEqual(service.restart, 'unless-stopped', `${name} runs once`);
        continue;
      }
      assert.ok(await hasHealthcheck(service), `${name} has a health check`);
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        assert.ok(
          ['service_healthy', 'service_completed_successfully'].includes(condition),
          `${name} waits for ${dependency} to be healthy or done, not merely started`,
        );
      }
    }
    assert.ok(waitedOnToFinish.has('migrate'), 'the migrations are a one-shot service');
  });

  test('migrates before the API and the panel start, with the API image', () => {
    const { migrate, api, admin } = project.services;
    assert.equal(migrate.image, api.image);
    assert.deepEqual(migrate.command, ['node', 'api/dist/cli/main.js', 'migrate']);
    for (const service of [api, admin])
      assert.equal(service.depends_on.migrate.condition, 'service_completed_successfully');
  });

  test('only Caddy publishes ports', () => {
    const publishing = Object.entries(project.services)
      .filter(([, s]) => (s.ports ?? []).length > 0)
      .map(([name]) => name);
    assert.deepEqual(publishing, ['caddy']);
    const published = project.services.caddy.ports.map((p) => `${p.published}/${p.protocol}`).sort();
    assert.deepEqual(published, ['443/tcp', '443/udp', '80/tcp']);
    const mounts = project.services.caddy.volumes.map((v) => v.target).sort();
    assert.deepEqual(mounts, ['/config', '/data']);
  });

  test('the API and the panel run in production, trust only private proxies, and send mail to Mailpit', () => {
    for (const name of ['api', 'admin', 'migrate']) {
      const env = project.services[name].environment;
      assert.equal(env.NODE_ENV, 'production');
      assert.equal(env.PUBLIC_URL, 'https://nuell.example.com');
      assert.equal(env.TRUST_PROXY, 'loopback,uniquelocal');
      assert.equal(env.SMTP_URL, 'smtp://mailpit:1025');
      assert.match(env.DATABASE_URL, /^postgres:\/\/nuell:[^@]+@postgres:5432\/nuell$/);
    }
    assert.ok(project.services.mailpit.healthcheck?.test?.length);
  });
});

/** A health check in the Compose file, or a HEALTHCHECK in the Dockerfile the service is built from. */
async function hasHealthcheck(service) {
  if (service.healthcheck?.disable) return false;
  if (service.healthcheck?.test?.length) return true;
  if (!service.build) return false;
  const dockerfile = await readFile(join(service.build.context, service.build.dockerfile), 'utf8');
  return /^HEALTHCHECK\s+(?!NONE)/m.test(dockerfile);
}
