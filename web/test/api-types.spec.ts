// @vitest-environment node
/**
 * The client's types are generated from api/openapi.json and committed. When the API changes,
 * `npm run api-types -w @nuell/web` regenerates them; this test fails until someone does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const web = fileURLToPath(new URL('..', import.meta.url));

describe('the generated API types', () => {
  it('match api/openapi.json', () => {
    const cli = join(createRequire(import.meta.url).resolve('openapi-typescript/package.json'), '../bin/cli.js');
    const fresh = join(mkdtempSync(join(tmpdir(), 'nuell-api-types-')), 'schema.d.ts');
    execFileSync(process.execPath, [cli, '../api/openapi.json', '--output', fresh], { cwd: web, stdio: 'ignore' });
    const committed = readFileSync(join(web, 'app/api/schema.d.ts'), 'utf8');
    expect(
      committed === readFileSync(fresh, 'utf8'),
      'app/api/schema.d.ts is stale: run `npm run api-types -w @nuell/web`',
    ).toBe(true);
  });
});
