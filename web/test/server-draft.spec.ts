import { registerEndpoint } from '@nuxt/test-utils/runtime';
import { getHeader, readBody } from 'h3';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick, ref } from 'vue';
import { useServerDraft } from '~/composables/useServerDraft';

const ID = '00000000-0000-7000-8000-000000000001';
interface Sent {
  readonly method: string;
  readonly body: Record<string, unknown>;
  readonly ifMatch: string | undefined;
}
let sent: Sent[] = [];
let version = 0;
/** What the next PATCH answers instead of saving: a status, or nothing. */
let refuse: number | null = null;

const draftOf = (body: Record<string, unknown>) => ({
  id: ID,
  path: '/posts/draft-0000000001',
  title: body.title ?? null,
  content: body.content,
  status: 'draft',
  updatedAt: `2026-11-23T09:30:0${version}.000Z`,
});

beforeEach(() => {
  sent = [];
  version = 0;
  refuse = null;
  registerEndpoint('/api/v1/posts', {
    method: 'POST',
    handler: async (event) => {
      const body = await readBody<Record<string, unknown>>(event);
      sent.push({ method: 'POST', body, ifMatch: getHeader(event, 'if-match') });
      version++;
      event.node.res.statusCode = 201;
      event.node.res.setHeader('etag', `"v${version}"`);
      return draftOf(body);
    },
  });
  registerEndpoint(`/api/v1/posts/${ID}`, {
    method: 'PATCH',
    handler: async (event) => {
      const body = await readBody<Record<string, unknown>>(event);
      sent.push({ method: 'PATCH', body, ifMatch: getHeader(event, 'if-match') });
      if (refuse) {
        event.node.res.statusCode = refuse;
        return { type: 'about:blank', title: 'Precondition Failed', status: refuse };
      }
      version++;
      event.node.res.setHeader('etag', `"v${version}"`);
      return draftOf(body);
    },
  });
});

function setup() {
  const draft = {
    title: ref(''),
    content: ref(''),
    id: ref<string | null>(null),
    etag: ref<string | null>(null),
    synced: ref(true),
    enabled: ref(true),
  };
  const server = useServerDraft({ ...draft, delayMs: 20 });
  /** As useDraft does: a change makes the local copy unsynced. */
  const type = async (title: string, content: string) => {
    draft.title.value = title;
    draft.content.value = content;
    draft.synced.value = false;
    await nextTick();
  };
  return { draft, server, type };
}

describe('drafts saved to the server while typing', () => {
  it('creates the draft after a pause, then changes that draft with If-Match', async () => {
    const { draft, server, type } = setup();
    await type('  My title ', 'Half');
    await vi.waitFor(() => expect(server.state.value).toBe('saved'));
    expect(sent).toEqual([
      { method: 'POST', body: { title: 'My title', content: 'Half', status: 'draft' }, ifMatch: undefined },
    ]);
    expect(draft.id.value).toBe(ID);
    expect(draft.synced.value).toBe(true);

    await type('My title', 'Half a thought');
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    await vi.waitFor(() => expect(server.state.value).toBe('saved'));
    expect(sent[1]).toEqual({
      method: 'PATCH',
      body: { title: 'My title', content: 'Half a thought' },
      ifMatch: '"v1"',
    });
    expect(draft.etag.value).toBe('"v2"');
  });

  it('sends only what was typed last when the typing goes on', async () => {
    const { server, type } = setup();
    for (const text of ['a', 'ab', 'abc']) await type('T', text);
    await vi.waitFor(() => expect(server.state.value).toBe('saved'));
    expect(sent.map((s) => s.body.content)).toEqual(['abc']);
  });

  it('stops on a 412 (changed elsewhere) and never overwrites that version', async () => {
    const { draft, server, type } = setup();
    await type('T', 'one');
    await vi.waitFor(() => expect(server.state.value).toBe('saved'));
    refuse = 412;
    await type('T', 'two');
    await vi.waitFor(() => expect(server.state.value).toBe('conflict'));
    await type('T', 'three');
    await server.save();
    expect(sent.map((s) => s.method)).toEqual(['POST', 'PATCH']);
    expect(draft.synced.value).toBe(false); // the local copy still has the text
  });

  it('saves nothing for an empty page, and nothing while disabled (a published post)', async () => {
    const { draft, server, type } = setup();
    await type(' ', '\n');
    await server.save();
    draft.enabled.value = false;
    await type('T', 'text');
    await server.save();
    expect(sent).toEqual([]);
    expect(server.state.value).toBe('idle');
  });
});
