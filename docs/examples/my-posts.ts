/**
 * With a personal access token: read your profile, publish a post, list your posts.
 *
 *   npm run build -w @nuell/client        # once, in this repository
 *   NUELL_URL=https://nuell.example NUELL_TOKEN=nuell_pat_… node docs/examples/my-posts.ts
 *
 * The token needs the scopes `profile:read` and `posts:write` (Settings → Personal access tokens).
 * Node 22.18 or later runs this TypeScript file as it is. api/test/typed-client.spec.ts runs it
 * against a real API.
 */
import { createClient, type Problem } from '@nuell/client';

const { NUELL_URL, NUELL_TOKEN } = process.env;
if (!NUELL_URL || !NUELL_TOKEN) {
  console.error('Set NUELL_URL (the site, e.g. https://nuell.example) and NUELL_TOKEN (a personal access token).');
  process.exit(2);
}

const api = createClient({ baseUrl: NUELL_URL, token: NUELL_TOKEN });

/** Stops with the API's own explanation (problem details, RFC 9457). */
function fail(action: string, problem: Problem): never {
  console.error(
    `Could not ${action}: ${String(problem.status)} ${problem.title}${problem.detail ? ` (${problem.detail})` : ''}`,
  );
  process.exit(1);
}

// Who the token belongs to.
const me = await api.GET('/api/v1/users/me');
if (me.error) fail('read your profile', me.error);
console.log(`Signed in as ${me.data.displayName}`);

// A new post, published at once (Markdown; the title is optional).
const title = process.argv[2] ?? 'Hello from the typed client';
const created = await api.POST('/api/v1/posts', {
  body: {
    title,
    content: `Posted by **docs/examples/my-posts.ts** at ${new Date().toISOString()}.`,
    status: 'published',
  },
});
if (created.error) fail('publish the post', created.error);
console.log(`Published "${created.data.title ?? ''}" at ${new URL(created.data.path, NUELL_URL).href}`);

// Your posts, drafts included, most recently changed first: one page of ten.
const mine = await api.GET('/api/v1/users/me/posts', { params: { query: { limit: 10 } } });
if (mine.error) fail('list your posts', mine.error);
console.log(`Your posts (${String(mine.data.items.length)}${mine.data.nextCursor ? ', more on the next page' : ''}):`);
for (const post of mine.data.items) {
  console.log(`  ${post.status.padEnd(9)} ${post.id}  ${post.title ?? post.excerpt}`);
}
