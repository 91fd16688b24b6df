import { DataSource } from 'typeorm';
import { ContentService } from '../src/content/content.service.js';
import { PostsRepository } from '../src/posts/posts.repository.js';
import { rerenderPosts } from '../src/posts/rerender.js';
import { login, register } from './support/accounts.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createScratchDatabase, type ScratchDatabase } from './support/database.js';

// The re-render walks every post of the database, as the CLI does: on the shared database it
// would race with other files that mark posts stale (operator-actions.spec.ts), so it has its own.
let scratch: ScratchDatabase;
let api: TestApp;
let db: DataSource;
let posts: PostsRepository;
let authorId: string;
let content: ContentService;
beforeAll(async () => {
  scratch = await createScratchDatabase('rerender', { migrated: true });
  api = await startTestApp({ env: { DATABASE_URL: scratch.url } });
  db = api.app.get(DataSource);
  posts = api.app.get(PostsRepository);
  content = api.app.get(ContentService);
  const account = await register(api.url);
  await login(api.url, account);
  authorId = account.id;
});
afterAll(async () => {
  await api.close();
  await scratch.drop();
});

/** Posts as an older renderer left them: version 0 and stale derived columns. */
async function stalePosts(count: number): Promise<string[]> {
  const rows = await db.query<{ id: string }[]>(
    `INSERT INTO posts (id, author_id, content, content_html, excerpt, word_count, reading_time_minutes, renderer_version)
     SELECT gen_random_uuid(), $1, 'post *' || i || '*', '<p>stale</p>', 'stale', 0, 1, 0
       FROM generate_series(1, $2) AS i
     RETURNING id`,
    [authorId, count],
  );
  return rows.map((r) => r.id);
}

const pending = async () =>
  Number(
    (
      await db.query<{ n: string }[]>('SELECT count(*) AS n FROM posts WHERE renderer_version <> $1', [content.version])
    )[0]!.n,
  );

describe('posts:rerender', () => {
  it('re-renders every stale post in batches, reporting progress, and resumes after an interruption', async () => {
    const ids = await stalePosts(45);
    const progress: number[] = [];
    const interrupted = await rerenderPosts(posts, content, {
      batchSize: 10,
      maxBatches: 2,
      onProgress: (p) => progress.push(p.done),
    });
    expect(interrupted.done).toBe(20);
    expect(interrupted.total).toBe(45);
    expect(progress).toEqual([10, 20]);

    const resumed = await rerenderPosts(posts, content, { batchSize: 10 });
    expect(resumed).toEqual({ done: 25, total: 25 });
    expect(await pending()).toBe(0);

    const rows = await db.query<{ content: string; content_html: string; excerpt: string; word_count: number }[]>(
      'SELECT content, content_html, excerpt, word_count FROM posts WHERE id = ANY($1)',
      [ids],
    );
    expect(rows).toHaveLength(45);
    for (const row of rows) {
      const expected = await content.render(row.content);
      expect(row).toMatchObject({
        content_html: expected.html,
        excerpt: expected.excerpt,
        word_count: expected.wordCount,
      });
    }
    expect((await rerenderPosts(posts, content)).total).toBe(0);
  });

  it('leaves a post alone when it is edited while its batch renders', async () => {
    expect(await pending()).toBe(0);
    const [id] = await stalePosts(1);
    // A real renderer, with an author's edit landing while the batch is being rendered.
    class EditDuringRender extends ContentService {
      override async renderMany(markdown: readonly string[]) {
        const rendered = await super.renderMany(markdown);
        const edit = await content.render('edited');
        await db.query(
          `UPDATE posts SET content = 'edited', content_html = $2, renderer_version = $3, updated_at = now() WHERE id = $1`,
          [id, edit.html, content.version],
        );
        return rendered;
      }
    }
    const result = await rerenderPosts(posts, new EditDuringRender(api.config));
    expect(result.done).toBe(1);
    const [row] = await db.query<{ content: string; content_html: string }[]>(
      'SELECT content, content_html FROM posts WHERE id = $1',
      [id],
    );
    expect(row).toEqual({ content: 'edited', content_html: (await content.render('edited')).html });
  });
});
