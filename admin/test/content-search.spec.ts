/**
 * Finding posts by what they say, and acting on every post a filter matches (on every page, not
 * only the rows in view), through AdminJS's JSON API as the panel's pages call it.
 */
import { randomBytes } from 'node:crypto';
import { bearer, json, login, register, verify, type Account } from '../../api/test/support/accounts.js';
import { RERENDER_CHUNK } from '../src/resources/posts.resource.js';
import { operator, type PanelClient, signedIn, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();

interface ListJson {
  records: { id: string; params: Record<string, any> }[];
  meta: { total: number };
}

let client: PanelClient;
let author: Account;
let token: string;

beforeAll(async () => {
  client = await signedIn(panel, await operator(api));
  author = await register(api.url, { displayName: 'Searched Author' });
  await verify(api.url, author);
  token = (await login(api.url, author)).accessToken;
});

async function publish(content: string, fields: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${api.url}/api/v1/posts`, bearer(token, json({ content, ...fields })));
  if (res.status !== 201) throw new Error(`publishing answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

const list = (query: string) => client.json<ListJson>(`/cp/api/resources/Post/actions/list?${query}`);
const found = async (words: string) =>
  (await list(`filters.content=${encodeURIComponent(words)}&perPage=50`)).records.map((r) => r.id).sort();

describe('the Markdown filter', () => {
  const tag = `zq${randomBytes(3).toString('hex')}`;
  let ids: Record<'fox' | 'dog' | 'japanese' | 'percent', string>;
  beforeAll(async () => {
    ids = {
      fox: await publish(`The quick brown fox ${tag}alpha jumps.`),
      dog: await publish(`A lazy DOG sleeps; ${tag}beta and the fox are friends.`),
      japanese: await publish(`東京の天気は晴れです ${tag}gamma`),
      percent: await publish(`Discount: 100% off ${tag}delta`),
    };
  });

  it('finds a post by a word anywhere in it, case-insensitively, also inside a longer word', async () => {
    expect(await found(`${tag}ALPHA`)).toEqual([ids.fox]);
    expect(await found(tag)).toEqual(Object.values(ids).sort());
    expect(await found(`${tag}bet`)).toEqual([ids.dog]);
  });

  it('needs every word, and takes a quoted phrase as one', async () => {
    expect(await found(`fox ${tag}`)).toEqual([ids.fox, ids.dog].sort());
    expect(await found(`fox ${tag} lazy`)).toEqual([ids.dog]);
    expect(await found(`"brown fox" ${tag}`)).toEqual([ids.fox]);
    expect(await found(`"fox brown" ${tag}`)).toEqual([]);
  });

  it('finds Japanese text, which has no spaces between words', async () => {
    expect(await found(`天気 ${tag}`)).toEqual([ids.japanese]);
  });

  it('takes % and _ literally', async () => {
    expect(await found(`100% ${tag}`)).toEqual([ids.percent]);
    expect(await found(`1_0 ${tag}`)).toEqual([]);
    expect(await found(`% ${tag}`)).toEqual([ids.percent]);
  });

  it('combines with the other filters', async () => {
    const { records } = await list(`filters.content=${tag}&filters.authorId=${author.id}&filters.status=draft`);
    expect(records).toEqual([]);
  });
});

describe('a post with no words', () => {
  it('is listed by the start of its Markdown, or as not written yet, never as a blank row', async () => {
    const picture = await publish('![](https://example.com/only-a-picture.png)', { status: 'draft' });
    const empty = await publish('', { status: 'draft' });
    const { records } = await list(`filters.authorId=${author.id}&filters.status=draft&perPage=50`);
    const heading = (id: string) => records.find((r) => r.id === id)?.params.heading as string;
    expect(heading(picture)).toBe('No words: ![](https://example.com/only-a-picture.png)');
    expect(heading(empty)).toBe('Nothing written yet');
  });
});

describe('Re-render all matching', () => {
  const tag = `rr${randomBytes(3).toString('hex')}`;
  const count = RERENDER_CHUNK * 2 + 5;
  let matching: string[];
  let other: string;

  beforeAll(async () => {
    matching = [];
    for (let i = 0; i < count; i++) matching.push(await publish(`*post ${i}* ${tag}`));
    other = await publish(`*not this one* ${tag.toUpperCase().split('').reverse().join('')}`);
    await api.db.query(`UPDATE posts SET content_html = 'stale', renderer_version = 0 WHERE id = ANY($1::uuid[])`, [
      [...matching, other],
    ]);
  });

  const action = `/cp/api/resources/Post/actions/rerenderAll?filters.content=${tag}`;

  it('counts every post the filter matches, on every page', async () => {
    expect(await client.json(action)).toEqual({ matching: count });
  });

  it('walks them a chunk at a time to the end, and touches no other post', async () => {
    let after: string | undefined;
    let done = 0;
    let requests = 0;
    do {
      const response = await client.post(action, after ? { after } : {});
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { done: number; next: string | null };
      done += answer.done;
      requests++;
      after = answer.next ?? undefined;
    } while (after !== undefined && requests < 10);
    expect(done).toBe(count);
    expect(requests).toBe(3);

    const rows = await api.db.query<{ id: string; content_html: string }[]>(
      'SELECT id, content_html FROM posts WHERE id = ANY($1::uuid[])',
      [[...matching, other]],
    );
    const html = new Map(rows.map((row) => [row.id, row.content_html]));
    expect(matching.filter((id) => html.get(id) === 'stale')).toEqual([]);
    expect(html.get(matching[0]!)).toBe(`<p><em>post 0</em> ${tag}</p>\n`);
    expect(html.get(other)).toBe('stale');
  });

  it('walks on after the id it is given, so a post is never done twice in one run', async () => {
    const sorted = [...matching].sort();
    const response = await client.post(action, { after: sorted[count - 2]! });
    expect(await response.json()).toEqual({ done: 1, next: null });
  });

  it("is audited as re-rendering, in the operator's name", async () => {
    const rows = await api.db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM audit_log WHERE action = 'posts_rerendered' AND data->'posts' ? $1`,
      [matching[0]],
    );
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(1);
  });
});
