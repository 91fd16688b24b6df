/**
 * Change events: whatever changes what readers see is announced through PostgreSQL in the
 * transaction that made it, whoever made it (the API over HTTP, the panel's service, plain SQL),
 * numbered in commit order, and heard by the process within moments; nothing a reader cannot see is
 * announced. When the listening connection is cut, the process says it is not live, comes back by
 * itself, tells its listeners to start over, and hears later changes again.
 */
import pg from 'pg';
import type { ChangeEvent } from '../src/events/change-event.js';
import { ChangeEventsService } from '../src/events/change-events.service.js';
import { PostsService } from '../src/posts/posts.service.js';
import { bearer, json, login, register, verify } from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { testDatabaseUrl } from './support/database.js';

const api = useTestApp();
const url = (path: string) => `${api.url}/api/v1${path}`;

let events: ChangeEventsService;
const heard: ChangeEvent[] = [];
beforeAll(() => {
  events = api.app.get(ChangeEventsService);
  events.subscribe((event) => heard.push(event));
});

/** Resolves with the first event heard from now on that matches. */
function next(match: (event: ChangeEvent) => boolean): Promise<ChangeEvent> {
  return new Promise((resolve) => {
    const stop = events.subscribe((event) => {
      if (match(event)) {
        stop();
        resolve(event);
      }
    });
  });
}

async function writer(displayName = 'Evented Writer'): Promise<{ id: string; token: string }> {
  const account = await register(api.url, { displayName });
  await verify(api.url, account);
  return { id: account.id, token: (await login(api.url, account)).accessToken };
}

const write = async (token: string, body: object, method = 'POST', id = '') => {
  const res = await fetch(url(`/posts${id ? `/${id}` : ''}`), bearer(token, { ...json(body), method }));
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as { id: string };
};

describe('change events', () => {
  it('announce a post appearing, changing and going, and nothing about drafts', async () => {
    const author = await writer();
    const created = next((e) => e.authorId === author.id);
    const post = await write(author.token, { content: 'Hello, **events**' });
    expect(await created).toMatchObject({ kind: 'post.created', postId: post.id, authorId: author.id });

    const draftSeq = heard.at(-1)!.seq;
    const draft = await write(author.token, { content: 'A draft', status: 'draft' });
    await write(author.token, { content: 'A draft, changed' }, 'PATCH', draft.id);
    const published = next((e) => e.postId === draft.id);
    await write(author.token, { status: 'published' }, 'PATCH', draft.id);
    expect((await published).kind).toBe('post.created');
    // The draft's writing was announced to nobody: the publication is the next event of this author.
    expect(heard.filter((e) => e.seq > draftSeq && e.authorId === author.id).map((e) => e.kind)).toEqual([
      'post.created',
    ]);

    const edited = next((e) => e.postId === post.id);
    await write(author.token, { content: 'Hello again' }, 'PATCH', post.id);
    expect((await edited).kind).toBe('post.updated');

    const hidden = next((e) => e.postId === post.id);
    const admin = await register(api.url);
    await api.app.get(PostsService).hide(admin.id, post.id, 'Off-topic');
    expect((await hidden).kind).toBe('post.removed');

    const deleted = next((e) => e.postId === draft.id);
    expect((await fetch(url(`/posts/${draft.id}`), bearer(author.token, { method: 'DELETE' }))).status).toBe(204);
    expect((await deleted).kind).toBe('post.removed');
  });

  it('announce an author renamed, suspended, restored and deleted, also when the change is plain SQL', async () => {
    const author = await writer();
    const kinds: string[] = [];
    const stop = events.subscribe((e) => e.authorId === author.id && kinds.push(e.kind));
    const renamed = next((e) => e.authorId === author.id);
    expect(
      (await fetch(url('/users/me'), bearer(author.token, { ...json({ displayName: 'Renamed' }), method: 'PATCH' })))
        .status,
    ).toBe(200);
    expect((await renamed).kind).toBe('author.updated');
    for (const [sql, kind] of [
      ['UPDATE users SET is_active = false WHERE id = $1', 'author.removed'],
      ['UPDATE users SET is_active = true WHERE id = $1', 'author.restored'],
      ['DELETE FROM users WHERE id = $1', 'author.removed'],
    ] as const) {
      const heardIt = next((e) => e.authorId === author.id);
      await api.db.query(sql, [author.id]);
      expect((await heardIt).kind).toBe(kind);
    }
    stop();
    expect(kinds).toEqual(['author.updated', 'author.removed', 'author.restored', 'author.removed']);
    // This account never published: its changes drop cached profiles but are nobody's news.
    expect(heard.filter((e) => e.authorId === author.id).every((e) => !e.public)).toBe(true);
  });

  it('announce to the public an author who has a post readers can see, also when the account is deleted', async () => {
    const author = await writer();
    await write(author.token, { content: 'Seen by readers' });
    const renamed = next((e) => e.authorId === author.id && e.kind === 'author.updated');
    await api.db.query(`UPDATE users SET bio = 'public now' WHERE id = $1`, [author.id]);
    expect((await renamed).public).toBe(true);
    // The deletion is seen before the cascade takes the posts away.
    const deleted = next((e) => e.authorId === author.id && e.kind === 'author.removed');
    await api.db.query('DELETE FROM users WHERE id = $1', [author.id]);
    expect((await deleted).public).toBe(true);
  });

  it('number events in commit order: a change made first but committed last comes after, so "after N" never skips it', async () => {
    const first = await writer();
    const second = await writer();
    // Authors with a post readers see, so the replay (public events only) includes their changes.
    await write(first.token, { content: 'First' });
    await write(second.token, { content: 'Second' });
    const a = new pg.Client({ connectionString: testDatabaseUrl() });
    const b = new pg.Client({ connectionString: testDatabaseUrl() });
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query('BEGIN');
      await a.query(`UPDATE users SET bio = 'changed first' WHERE id = $1`, [first.id]);
      await b.query('BEGIN');
      await b.query(`UPDATE users SET bio = 'changed second' WHERE id = $1`, [second.id]);
      await b.query('COMMIT');
      await a.query('COMMIT');
      const seqOf = async (id: string) =>
        Number(
          (
            await api.db.query<{ seq: string }[]>(`SELECT max(seq) AS seq FROM change_events WHERE author_id = $1`, [
              id,
            ])
          )[0]!.seq,
        );
      const [early, late] = [await seqOf(second.id), await seqOf(first.id)];
      expect(early).toBeLessThan(late);
      // Replay from the table ("every event after N", as a resuming stream asks) gives both, in that order.
      const replay = await events.since(early - 1, 1000);
      expect(replay.filter((e) => e.authorId === first.id || e.authorId === second.id).map((e) => e.seq)).toEqual([
        early,
        late,
      ]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('come back by themselves after the listening connection is cut, and say so', async () => {
    expect(events.isLive()).toBe(true);
    const reset = new Promise<void>((resolve) => {
      const stop = events.onReset(() => {
        stop();
        resolve();
      });
    });
    await api.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'nuell change events' AND pid <> pg_backend_pid()`,
    );
    await reset;
    expect(events.isLive()).toBe(true);
    const author = await writer();
    const created = next((e) => e.authorId === author.id);
    await write(author.token, { content: 'After the reconnect' });
    expect((await created).kind).toBe('post.created');
  });
});
