/**
 * The module direction of docs/architecture.md, as `npm run lint` enforces it (eslint.config.js):
 * fixture code placed in each folder, linted with the repository's own config, must be refused
 * exactly where it imports against the direction, and accepted elsewhere.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// Only the import rule runs, so the fixtures need no place in a tsconfig (type-aware rules would).
const eslint = new ESLint({
  cwd: ROOT,
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

/**
 * Lints an import of each specifier as the file `filePath`, and expects exactly the ones in
 * `refused` to be refused, each with a message that says where the rule is written.
 */
async function expectImports(filePath, { refused = [], allowed = [] }) {
  const imports = [...refused, ...allowed];
  const code = imports.map((specifier, i) => `import * as m${i} from '${specifier}';\n`).join('');
  const [result] = await eslint.lintText(code, { filePath });
  assert.equal(result.fatalErrorCount, 0, JSON.stringify(result.messages));
  for (const message of result.messages) {
    assert.equal(message.ruleId, 'no-restricted-imports');
    assert.match(message.message, /\(docs\/architecture\.md\)/);
  }
  assert.deepEqual(
    result.messages.map((message) => imports[message.line - 1]),
    refused,
    `${filePath}: refused imports`,
  );
}

test('users/ never imports auth/, from any depth; auth/ imports users/', async () => {
  await expectImports('api/src/users/fixture.ts', {
    refused: ['../auth/auth.service.js'],
    allowed: ['../config/config.js', './users.repository.js'],
  });
  await expectImports('api/src/users/dto/fixture.ts', {
    refused: ['../../auth/dto/auth.dto.js'],
    allowed: ['../user.entity.js'],
  });
  await expectImports('api/src/auth/fixture.ts', { allowed: ['../users/users.repository.js'] });
});

test('policy/ and http/ import no module, not the app, nothing outside the source', async () => {
  const imports = {
    refused: [
      '../users/user.entity.js',
      '../rate-limits/rate-limits.js',
      '../a-module-added-later/thing.js',
      '../app.js',
      '../../package.json',
    ],
    allowed: [
      '../config/config.js',
      '../logging/logging.js',
      '../http/problem.js',
      '../database/sql.js',
      './problem.js',
      '@nestjs/common',
    ],
  };
  await expectImports('api/src/policy/fixture.ts', imports);
  await expectImports('api/src/http/fixture.ts', imports);
  await expectImports('api/src/http/nested/fixture.ts', {
    refused: ['../../posts/posts.service.js'],
    allowed: ['../problem.js'],
  });
});

test('database/ imports the entities of modules and nothing else of them', async () => {
  await expectImports('api/src/database/fixture.ts', {
    refused: ['../users/users.repository.js', '../index.js'],
    allowed: ['../users/user.entity.js', '../auth/session.entity.js', '../config/config.js'],
  });
  await expectImports('api/src/database/migrations/fixture.ts', {
    refused: ['../../posts/posts.service.js'],
    allowed: ['../../posts/post.entity.js', '../sql.js'],
  });
});

test("the panel imports @nuell/api's entry, never its files", async () => {
  const files = ['@nuell/api/dist/auth/auth.service.js', '../../api/src/index.js', '../../../api/src/app.js'];
  await expectImports('admin/src/resources/fixture.ts', {
    refused: [...files, '../../../api/test/support/app.js'],
    allowed: ['@nuell/api', '../config.js'],
  });
  await expectImports('admin/components/fixture.tsx', { refused: files.slice(0, 1), allowed: ['react'] });
  // Its tests may share the API's test helpers, and nothing else.
  await expectImports('admin/test/fixture.ts', {
    refused: [...files.slice(0, 2), '../../api/src/users/user.entity.js'],
    allowed: ['@nuell/api', '../../api/test/support/app.js', './support/panel.js'],
  });
});
