/**
 * The documentation check of the configuration: `npm start`'s own ports against the repository's
 * README and .env.example, and the check itself on small documents it must find fault with.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configurationDocProblems, documentedConfiguration, undeclaredVariables } from './config-docs.mjs';
import { PORTS } from './dev-env.mjs';

test("npm start's ports are documented with their defaults", () => {
  const defaults = Object.fromEntries(Object.entries(PORTS).map(([name, port]) => [name, String(port)]));
  assert.deepEqual(configurationDocProblems(defaults, documentedConfiguration()), []);
});

describe('the check', () => {
  const docs = documentedConfiguration({
    'README.md': [
      '# app',
      '## Configuration',
      '| variable | default | meaning |',
      '| --- | --- | --- |',
      '| `HOST` / `PORT` | `127.0.0.1` / `3001` | where it listens |',
      '| `SECRET` | generated in dev | signs tokens |',
      '| `ORIGINS` | empty | cross-origin callers |',
      '## Layout',
      '| `ELSEWHERE` | `1` | a table of another section |',
      '',
    ].join('\n'),
    '.env.example': ['# PORT=80 in a comment', 'HOST=127.0.0.1', 'PORT=3001', 'SECRET=', 'ORIGINS=', ''].join('\n'),
  });
  const code = { HOST: '127.0.0.1', PORT: '3001', SECRET: undefined, ORIGINS: '' };

  test('accepts documentation that says what the code does', () => {
    assert.deepEqual(configurationDocProblems(code, docs), []);
  });

  test('finds a variable missing from either file', () => {
    assert.deepEqual(configurationDocProblems({ ...code, TIMEOUT: '5' }, docs), [
      "TIMEOUT: missing from the README's configuration table",
      'TIMEOUT: missing from .env.example',
    ]);
  });

  test('finds a default that differs, one documented where the code has none, and the reverse', () => {
    assert.deepEqual(configurationDocProblems({ ...code, PORT: '8080', HOST: undefined, SECRET: 'x' }, docs), [
      'HOST: the README says `127.0.0.1`, the code has no fixed default',
      'HOST: .env.example has HOST=127.0.0.1, expected HOST=',
      'PORT: the README says `3001`, the code `8080`',
      'PORT: .env.example has PORT=3001, expected PORT=8080',
      'SECRET: the README says generated in dev, the code `x`',
      'SECRET: .env.example has SECRET=, expected SECRET=x',
    ]);
  });

  test('holds .env.example to an example value where one is given', () => {
    assert.deepEqual(configurationDocProblems(code, docs, { SECRET: 'change-me' }), [
      'SECRET: .env.example has SECRET=, expected SECRET=change-me',
    ]);
  });

  test('lists the documented variables no process declares', () => {
    assert.deepEqual(undeclaredVariables(docs, ['HOST', 'PORT']), ['SECRET', 'ORIGINS']);
  });
});
