import { registerEndpoint } from '@nuxt/test-utils/runtime';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { usePost } from '~/composables/usePost';
import { useAuthStore } from '~/stores/auth';

const AUTHOR = '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f';
const POST_ID = '019a9b01-7c2d-7e3f-8a41-6b7c8d9e0f12';
const account = (id: string, role: 'user' | 'admin') => ({
  id,
  email: `${role}@example.com`,
  displayName: role,
  role,
  emailVerified: true,
  createdAt: '2026-11-23T09:30:00.000Z',
});
let ifMatch: string | undefined;

beforeEach(() => {
  vi.stubGlobal('BroadcastChannel', undefined);
  setActivePinia(createPinia());
  ifMatch = undefined;
  registerEndpoint(`/api/v1/posts/${POST_ID}`, {
    method: 'GET',
    handler: (event) => {
      event.node.res.setHeader('etag', '"v7"');
      return {
        id: POST_ID,
        author: { id: AUTHOR, displayName: 'Ada' },
        content: 'hi',
        contentHtml: '<p>hi</p>',
        excerpt: 'hi',
        wordCount: 1,
        readingTimeMinutes: 1,
        createdAt: '2026-11-23T09:30:00.000Z',
        updatedAt: '2026-11-23T09:30:00.000Z',
      };
    },
  });
  // The same post by its readable address (only reading accepts one).
  registerEndpoint('/api/v1/posts/hi-abcdefghij', {
    method: 'GET',
    handler: (event) => {
      event.node.res.setHeader('etag', '"v7"');
      return { id: POST_ID, path: '/posts/hi-abcdefghij', author: { id: AUTHOR, displayName: 'Ada' } };
    },
  });
  registerEndpoint(`/api/v1/posts/${POST_ID}`, {
    method: 'DELETE',
    handler: (event) => {
      ifMatch = event.node.req.headers['if-match'];
      event.node.res.statusCode = ifMatch === '"v7"' ? 204 : 412;
      return ifMatch === '"v7"' ? null : { type: 'about:blank', title: 'Precondition Failed', status: 412 };
    },
  });
});

describe('a post and who may change it', () => {
  it('offers edit and delete to its author and to admins only', async () => {
    const auth = useAuthStore();
    const post = usePost(() => POST_ID);
    await post.load();
    expect(post.canModerate.value).toBe(false); // signed out
    auth.acceptLogin({
      accessToken: 't',
      expiresIn: 900,
      user: account('019a0000-0000-7000-8000-000000000001', 'user'),
    });
    expect(post.canModerate.value).toBe(false); // someone else
    auth.acceptLogin({ accessToken: 't', expiresIn: 900, user: account(AUTHOR, 'user') });
    expect(post.canModerate.value).toBe(true);
    auth.acceptLogin({
      accessToken: 't',
      expiresIn: 900,
      user: account('019a0000-0000-7000-8000-000000000002', 'admin'),
    });
    expect(post.canModerate.value).toBe(true);
  });

  it('deletes only the version it loaded (If-Match with its ETag)', async () => {
    const post = usePost(() => POST_ID);
    await post.load();
    expect(post.etag.value).toBe('"v7"');
    expect(await post.remove()).toBeNull();
    expect(ifMatch).toBe('"v7"');

    post.etag.value = '"v6"'; // as if it had changed elsewhere since
    expect((await post.remove())?.status).toBe(412);
  });

  it('opened by its readable address, deletes by the post id', async () => {
    const post = usePost(() => 'hi-abcdefghij');
    await post.load();
    expect(await post.remove()).toBeNull();
    expect(ifMatch).toBe('"v7"');
  });
});
