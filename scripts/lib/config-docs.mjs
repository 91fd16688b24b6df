/**
 * The configuration as the documentation states it (the README's table and .env.example), and
 * what it says wrongly about the variables a process declares: the API's, the panel's and
 * `npm start`'s tests each hold their own variables to both files with it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The README's configuration table: each variable's default cell (a `literal`, or prose). */
export function readmeDefaults(readme) {
  const section = /^## Configuration\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  const defaults = new Map();
  for (const line of section.split('\n')) {
    const [, names, cell] = /^\|([^|]*)\|([^|]*)\|/.exec(line) ?? [];
    const variables = [...(names ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]);
    if (variables.length === 0) continue;
    // `A` / `B` | `1` / `2`: one default each; otherwise the cell speaks for all of them.
    const parts = cell.trim().split(' / ');
    variables.forEach((name, i) => defaults.set(name, parts.length === variables.length ? parts[i] : cell.trim()));
  }
  return defaults;
}

/** .env.example: each variable's value. */
export function exampleValues(example) {
  return new Map([...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));
}

/** The documentation as it is in the repository (or in `files`, to check the checker). */
export function documentedConfiguration(files = {}) {
  const read = (name) => files[name] ?? readFileSync(join(ROOT, name), 'utf8');
  return { readme: readmeDefaults(read('README.md')), example: exampleValues(read('.env.example')) };
}

/** A default cell's value: `x` is x, "empty" is '', anything else is prose (no fixed default). */
function literal(cell) {
  if (cell === 'empty') return '';
  return /^`([^`]*)`$/.exec(cell)?.[1];
}

/**
 * What the documentation says wrongly about `variables` (name → the default it takes when unset,
 * as written in the environment; undefined where there is none, or it is worked out at start):
 * a variable missing from the README's table or .env.example, or another default there.
 * `.env.example` shows the default, or nothing without one, unless `examples` gives its value.
 */
export function configurationDocProblems(variables, { readme, example }, examples = {}) {
  const problems = [];
  for (const [name, fallback] of Object.entries(variables)) {
    const cell = readme.get(name);
    if (cell === undefined) problems.push(`${name}: missing from the README's configuration table`);
    else if (literal(cell) !== fallback) {
      problems.push(
        `${name}: the README says ${cell}, the code ${fallback === undefined ? 'has no fixed default' : `\`${fallback}\``}`,
      );
    }
    const value = example.get(name);
    const expected = examples[name] ?? fallback ?? '';
    if (value === undefined) problems.push(`${name}: missing from .env.example`);
    else if (value !== expected)
      problems.push(`${name}: .env.example has ${name}=${value}, expected ${name}=${expected}`);
  }
  return problems;
}

/** The variables the documentation lists that no process declares (`declared`: their names). */
export function undeclaredVariables({ readme, example }, declared) {
  const known = new Set(declared);
  return [...new Set([...readme.keys(), ...example.keys()])].filter((name) => !known.has(name));
}
