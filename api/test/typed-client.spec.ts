/**
 * The typed client (@nuell/client, client/) against the real API: the integrators' example
 * (docs/examples/my-posts.ts) run as they would run it, with a token of a verified account, and
 * the client's promises (bearer token, every failure a problem) checked call by call. Its types
 * are generated from api/openapi.json and committed; a test fails while they are stale.
 * `npm test` builds the client first (the API's build depends on it).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, isProblem } from '@nuell/client';
import { bearer, json, login, register, verify } from './support/accounts.js';
import { useTestApp } from './support/app.js';

const EXAMPLE = fileURLToPath(new URL('../../docs/examples/my-posts.ts', import.meta.url));
const CLIENT = fileURLToPath(new URL('../../client/', import.meta.url));

const api = useTestApp();
/** A personal access token of a verified account, with the scopes the example needs. */
let token: string;
/** The account's browser sign-in, which may create tokens. */
let session: string;

async function createToken(scopes: string[]): Promise<string> {
  const body = { name: 'docs example', scopes, expiresInDays: 1 };
  const res = await fetch(`${api.url}/api/v1/users/me/tokens`, bearer(session, json(body)));
  if (res.status !== 201) throw new Error(`creating the token answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

beforeAll(async () => {
  const account = await register(api.url, { displayName: 'Ada Example' });
  await verify(api.url, account);
  session = (await login(api.url, account)).accessToken;
  token = await createToken(['profile:read', 'posts:write']);
  expect(token).toMatch(/^nuell_pat_/);
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the example with this Node, as `NUELL_URL=… NUELL_TOKEN=… node docs/examples/my-posts.ts <title>`. */
function runExample(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [EXAMPLE, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

describe('docs/examples/my-posts.ts', () => {
  it('reads the profile, publishes a post and lists it among the posts, with a personal access token', async () => {
    const run = await runExample({ NUELL_URL: api.url, NUELL_TOKEN: token }, 'Written by the example');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Signed in as Ada Example');
    const published = /Published "Written by the example" at (\S+)/.exec(run.stdout);
    expect(published?.[1]).toMatch(new RegExp(`^${api.url}/posts/written-by-the-example-\\w+$`));

    // The post is there for everyone, and the example listed it.
    const res = await fetch(`${api.url}/api/v1/users/me/posts?status=published`, bearer(token));
    const { items } = (await res.json()) as { items: { id: string; title: string; status: string }[] };
    expect(items).toHaveLength(1);
    expect(run.stdout).toContain(`published ${items[0]!.id}  Written by the example`);
    expect((await fetch(`${api.url}/api/v1/posts/${items[0]!.id}`)).status).toBe(200);
  });

  it("stops with the API's problem when the token is refused", async () => {
    const run = await runExample({ NUELL_URL: api.url, NUELL_TOKEN: 'not-a-token' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Could not read your profile: 401 Unauthorized/);
    expect(run.stdout).toBe('');
  });

  it('stops at the post when the token may read the profile but not write posts', async () => {
    const run = await runExample({ NUELL_URL: api.url, NUELL_TOKEN: await createToken(['profile:read']) });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('Signed in as Ada Example\n');
    expect(run.stderr).toMatch(/^Could not publish the post: 403 Forbidden/);
  });

  it('says what it needs when the environment lacks it', async () => {
    const run = await runExample({ NUELL_URL: api.url });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('NUELL_TOKEN');
  });
});

describe('createClient', () => {
  it('sends the token, and reads it anew for each request when given a function', async () => {
    const tokens = [token, null];
    const client = createClient({ baseUrl: api.url, token: () => tokens.shift() });
    const signedIn = await client.GET('/api/v1/users/me');
    expect(signedIn.data?.displayName).toBe('Ada Example');
    const anonymous = await client.GET('/api/v1/users/me');
    expect(anonymous.response.status).toBe(401);
  });

  it("hands back the API's problem details, fields included, as the error", async () => {
    const client = createClient({ baseUrl: `${api.url}/`, token });
    const { data, error, response } = await client.POST('/api/v1/posts', { body: { content: '' } });
    expect(data).toBeUndefined();
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(isProblem(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(error?.errors?.map((field) => field.field)).toContain('content');
  });

  it('turns an answer that is not JSON (a proxy in front of the API) into a problem too', async () => {
    const client = createClient({
      baseUrl: api.url,
      fetch: () =>
        Promise.resolve(
          new Response('<html>Bad gateway</html>', {
            status: 502,
            statusText: 'Bad Gateway',
            headers: { 'content-type': 'text/html' },
          }),
        ),
    });
    const { error } = await client.GET('/api/v1/users/me');
    expect(error).toEqual({ type: 'about:blank', title: 'Bad Gateway', status: 502 });
  });
});

describe("the client's types", () => {
  it('match api/openapi.json', () => {
    const generator = createRequire(join(CLIENT, 'package.json')).resolve('openapi-typescript/package.json');
    const fresh = join(mkdtempSync(join(tmpdir(), 'nuell-client-types-')), 'schema.ts');
    execFileSync(process.execPath, [join(generator, '../bin/cli.js'), '../api/openapi.json', '--output', fresh], {
      cwd: CLIENT,
      stdio: 'ignore',
    });
    const stale = readFileSync(join(CLIENT, 'src/schema.ts'), 'utf8') !== readFileSync(fresh, 'utf8');
    if (stale) throw new Error('client/src/schema.ts is stale: run `npm run generate -w @nuell/client`');
  });
});
