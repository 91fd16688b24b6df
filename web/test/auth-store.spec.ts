import { registerEndpoint } from '@nuxt/test-utils/runtime';
import { readBody } from 'h3';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiClient } from '~/api/client';
import { useAuthStore } from '~/stores/auth';

const user = {
  id: '019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f',
  email: 'ada@example.com',
  displayName: 'Ada',
  role: 'user' as const,
  emailVerified: true,
  createdAt: '2026-11-23T09:30:00.000Z',
};

let refreshes = 0;
let refreshAnswer: 'ok' | 'ended' = 'ok';

beforeEach(() => {
  // Each test's store would hear the others' announcements; tabs talking is the end-to-end suite's.
  vi.stubGlobal('BroadcastChannel', undefined);
  setActivePinia(createPinia());
  refreshes = 0;
  refreshAnswer = 'ok';
  localStorage.clear();
  registerEndpoint('/api/v1/auth/refresh', {
    method: 'POST',
    handler: async (event) => {
      refreshes++;
      await new Promise((r) => setTimeout(r, 20)); // long enough for callers to pile up
      if (refreshAnswer === 'ended') {
        event.node.res.statusCode = 401;
        return { type: 'about:blank', title: 'Unauthorized', status: 401 };
      }
      return { accessToken: `token-${refreshes}`, expiresIn: 900, user };
    },
  });
});

describe('the auth store', () => {
  it('sends one refresh for many callers at once, and all get its token', async () => {
    const auth = useAuthStore();
    const tokens = await Promise.all([auth.refresh(), auth.refresh(), auth.refresh(), auth.refresh()]);
    expect(refreshes).toBe(1);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1', 'token-1']);
    expect(auth.status).toBe('signed-in');
    expect(auth.user?.displayName).toBe('Ada');
    // The next refresh is a new request.
    expect(await auth.refresh()).toBe('token-2');
  });

  it('keeps the token in memory only: nothing token-like in storage or cookies', async () => {
    const auth = useAuthStore();
    await auth.refresh();
    const stored = JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie;
    expect(stored).not.toContain('token-1');
  });

  it('does not ask the server on a first visit without a session, and signs out when the session ended', async () => {
    const auth = useAuthStore();
    expect(await auth.restore()).toBeNull();
    expect(refreshes).toBe(0);
    expect(auth.status).toBe('signed-out');

    auth.acceptLogin({ accessToken: 'from-login', expiresIn: 900, user });
    refreshAnswer = 'ended';
    expect(await auth.refresh()).toBeNull();
    expect(auth.status).toBe('signed-out');
    expect(auth.endedReason).toMatch(/session has ended/);
  });

  it('signs in through the API, and hands a refusal back to the form untouched', async () => {
    let sent: unknown;
    registerEndpoint('/api/v1/auth/login', {
      method: 'POST',
      handler: async (event) => {
        sent = await readBody(event);
        if ((sent as { password: string }).password !== 'right') {
          event.node.res.statusCode = 401;
          return { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Wrong e-mail or password.' };
        }
        return { accessToken: 'from-login', expiresIn: 900, user };
      },
    });
    const auth = useAuthStore();
    const refused = await auth.signIn({ email: user.email, password: 'wrong' });
    expect(refused.response.status).toBe(401);
    expect(refused.error).toMatchObject({ detail: 'Wrong e-mail or password.' });
    expect(auth.status).not.toBe('signed-in');

    const accepted = await auth.signIn({ email: user.email, password: 'right' });
    expect(accepted.response.ok).toBe(true);
    expect(sent).toEqual({ email: user.email, password: 'right' });
    expect(auth.status).toBe('signed-in');
    expect(auth.accessToken).toBe('from-login');
  });
});

describe('the API client', () => {
  it('refreshes once on a 401 and retries the request with the new token', async () => {
    const auth = useAuthStore();
    auth.acceptLogin({ accessToken: 'expired', expiresIn: 900, user });
    const seen: (string | undefined)[] = [];
    registerEndpoint('/api/v1/users/me', {
      method: 'GET',
      handler: (event) => {
        const authorization = event.node.req.headers.authorization;
        seen.push(authorization);
        if (authorization !== 'Bearer token-1') {
          event.node.res.statusCode = 401;
          return { type: 'about:blank', title: 'Unauthorized', status: 401 };
        }
        return user;
      },
    });
    const api = createApiClient({
      get accessToken() {
        return auth.accessToken;
      },
      refresh: () => auth.refresh(),
    });
    const [a, b] = await Promise.all([api.GET('/api/v1/users/me'), api.GET('/api/v1/users/me')]);
    expect(a.data?.email).toBe('ada@example.com');
    expect(b.data?.email).toBe('ada@example.com');
    expect(refreshes).toBe(1);
    expect(seen.filter((h) => h === 'Bearer expired')).toHaveLength(2);
  });

  it('reads a public post as anyone once the session is over, rather than failing on the stale token', async () => {
    const seen: (string | undefined)[] = [];
    registerEndpoint('/api/v1/posts/hello-k3x9q2m7ab', {
      method: 'GET',
      handler: (event) => {
        const authorization = event.node.req.headers.authorization;
        seen.push(authorization);
        if (authorization) {
          event.node.res.statusCode = 401;
          return { type: 'about:blank', title: 'Unauthorized', status: 401 };
        }
        return { id: 'p1', title: 'Hello' };
      },
    });
    const api = createApiClient({ accessToken: 'stale', refresh: () => Promise.resolve(null) });
    const { data, response } = await api.GET('/api/v1/posts/{id}', { params: { path: { id: 'hello-k3x9q2m7ab' } } });
    expect(response.status).toBe(200);
    expect(data?.title).toBe('Hello');
    expect(seen).toEqual(['Bearer stale', undefined]);
  });
});
