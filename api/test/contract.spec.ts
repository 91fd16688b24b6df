/**
 * The OpenAPI document says what the API does. schemathesis (from PyPI, pinned in
 * scripts/lib/tools.mjs) reads the document the app serves, generates requests from it (valid ones,
 * invalid ones, methods no path has) and sends them to the real app, signed in as a real user with
 * a verified address. Every check it has must pass: an answer the document does not list, a body
 * that does not match its schema, a valid request refused, an invalid one accepted, a 500.
 *
 * A few examples per operation keep it to about a minute; it runs on a database of its own, since it
 * writes hundreds of random accounts and posts. api/test/contract/schemathesis.toml says where a
 * valid request may still be refused, and why. Run it alone with
 * `cd api && npm test -- test/contract.spec.ts`; NUELL_CONTRACT_SEED replays a run's seed and
 * NUELL_CONTRACT_EXAMPLES asks for more examples per operation.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { schemathesis } from '../../scripts/lib/tools.mjs';
import { register, verify } from './support/accounts.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createScratchDatabase, type ScratchDatabase } from './support/database.js';

const CONFIG = fileURLToPath(new URL('contract/schemathesis.toml', import.meta.url));
const EXAMPLES = process.env.NUELL_CONTRACT_EXAMPLES ?? '10';
const SEED = process.env.NUELL_CONTRACT_SEED ?? String(randomInt(2 ** 31));
// Limits the run must not reach: it confirms passwords and previews posts far faster than a person.
const UNLIMITED = '1000000/1m';

interface Run {
  readonly code: number;
  readonly output: string;
}

function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 280_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/**
 * What a reader needs from a failed run: its failures and errors, a curl line reproducing each, the
 * summary. Not `st replay`, which needs the cache this run does not keep.
 */
function failuresOf(output: string): string {
  const start = output.search(/^=+ (ERRORS|FAILURES) =+$/m);
  return (start === -1 ? output : output.slice(start)).replace(/^ *st replay \S+\n/gm, '');
}

describe('the OpenAPI document', () => {
  let binary: string;
  let scratch: ScratchDatabase | undefined;
  let api: TestApp | undefined;
  let email: string;
  let password: string;

  beforeAll(async () => {
    // The first run installs schemathesis into .tools/ (about 15 s); later runs find it there.
    binary = await schemathesis();
    scratch = await createScratchDatabase('contract', { migrated: true });
    api = await startTestApp({
      env: {
        DATABASE_URL: scratch.url,
        RATE_LIMIT_PASSWORD_CHECK: UNLIMITED,
        RATE_LIMIT_PREVIEW: UNLIMITED,
        RATE_LIMIT_SIGNUP_IP: UNLIMITED,
        RATE_LIMIT_PASSWORD_FORGOT: UNLIMITED,
        RATE_LIMIT_VERIFY_RESEND: UNLIMITED,
        RATE_LIMIT_LOGIN_ACCOUNT: UNLIMITED,
        RATE_LIMIT_LOGIN_DEVICE: UNLIMITED,
        RATE_LIMIT_LOGIN_IP: UNLIMITED,
      },
    });
    // Not the documents' example password: a generated request must never confirm it.
    password = `Contract-${randomBytes(6).toString('hex')}-Run!`;
    const account = await register(api.url, { password, displayName: 'Contract Runner' });
    await verify(api.url, account);
    email = account.email;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await scratch?.drop();
  });

  it('says what the API does: schemathesis finds no request it answers otherwise', async () => {
    const { code, output } = await run(
      binary,
      [
        '--config-file',
        CONFIG,
        'run',
        `${api!.url}/api/openapi.json`,
        '--url',
        api!.url,
        '--checks',
        'all',
        '--max-examples',
        EXAMPLES,
        '--seed',
        SEED,
        '--workers',
        '1',
        '--no-color',
      ],
      { NUELL_CONTRACT_EMAIL: email, NUELL_CONTRACT_PASSWORD: password },
    );
    expect(code === 0 ? '' : `schemathesis (seed ${SEED}) exited with ${code}:\n${failuresOf(output)}`).toBe('');
  }, 290_000);
});
