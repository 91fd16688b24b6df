/**
 * Who is signed in, in this tab. The access token lives here, in memory only; the refresh token
 * is an httpOnly cookie the page cannot read. A new access token comes from POST /auth/refresh:
 *
 * - single-flight in a tab: concurrent callers share one request;
 * - serialised across tabs with the Web Locks API: the API ends the whole session when one
 *   refresh token is presented twice, and tabs share the cookie, so two tabs must never send
 *   the same one at once (the second waits and sends the rotated cookie);
 * - sign-in and sign-out are announced to the other tabs over a BroadcastChannel.
 *
 * Signing in, refreshing and signing out go through the typed client (useApi) like every other
 * call: it sends the cookie (same origin), these routes are public, so the bearer it may add is
 * ignored, and it never answers their 401 with a refresh (see NO_RETRY in app/api/client.ts).
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AccessToken, User } from '~/api/client';

type AuthStatus = 'unknown' | 'signed-in' | 'signed-out';
type Message = { type: 'signed-in' } | { type: 'signed-out' };

const LOCK = 'nuell:refresh';
const CHANNEL = 'nuell:auth';
/**
 * Whether this browser may hold a refresh cookie: a hint, not a secret, so that an anonymous
 * visit does not start with a refresh that can only fail.
 */
const HINT = 'nuell:signed-in';

function remember(signedIn: boolean): void {
  try {
    if (signedIn) localStorage.setItem(HINT, '1');
    else localStorage.removeItem(HINT);
  } catch {
    // storage disabled: every visit then tries a refresh
  }
}

function mayHaveSession(): boolean {
  try {
    return localStorage.getItem(HINT) !== null;
  } catch {
    return true;
  }
}

/** Runs `task` while holding the cross-tab refresh lock (or directly where Web Locks are missing). */
function exclusively<T>(task: () => Promise<T>): Promise<T> {
  const locks = (navigator as Partial<Navigator>).locks;
  return locks ? locks.request(LOCK, task) : task();
}

export const useAuthStore = defineStore('auth', () => {
  const accessToken = shallowRef<string | null>(null);
  const user = ref<User | null>(null);
  const status = ref<AuthStatus>('unknown');
  /** Why the last session ended, when the user did not sign out themselves. */
  const endedReason = ref<string | null>(null);
  let inflight: Promise<string | null> | null = null;
  const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);

  function signedIn(body: AccessToken): void {
    accessToken.value = body.accessToken;
    user.value = body.user;
    status.value = 'signed-in';
    endedReason.value = null;
    remember(true);
  }

  function signedOut(reason: string | null = null): void {
    const wasSignedIn = status.value === 'signed-in';
    accessToken.value = null;
    user.value = null;
    status.value = 'signed-out';
    if (wasSignedIn) endedReason.value = reason;
    remember(false);
  }

  async function exchangeCookie(): Promise<string | null> {
    let answer;
    try {
      answer = await useApi().POST('/api/v1/auth/refresh');
    } catch {
      // Offline: keep what we have; the next call tries again.
      if (status.value === 'unknown') status.value = 'signed-out';
      return null;
    }
    if (!answer.data) {
      signedOut('Your session has ended. Please sign in again.');
      return null;
    }
    signedIn(answer.data);
    return accessToken.value;
  }

  /** A fresh access token, or null when the session is over. Safe to call from anywhere, at once. */
  function refresh(): Promise<string | null> {
    inflight ??= exclusively(exchangeCookie).finally(() => {
      inflight = null;
    });
    return inflight;
  }

  /** On page load: learn whether a session exists (once; later callers share the answer). */
  function restore(): Promise<string | null> {
    if (status.value !== 'unknown') return Promise.resolve(accessToken.value);
    if (!mayHaveSession()) {
      status.value = 'signed-out';
      return Promise.resolve(null);
    }
    return refresh();
  }

  /** Applies a successful sign-in (signIn's answer) and tells the other tabs. */
  function acceptLogin(body: AccessToken): void {
    signedIn(body);
    channel?.postMessage({ type: 'signed-in' } satisfies Message);
  }

  /** POST /auth/login; the answer goes back to the form (useSubmit) to show a refusal. */
  async function signIn(credentials: { email: string; password: string }) {
    const answer = await useApi().POST('/api/v1/auth/login', { body: credentials });
    if (answer.data) acceptLogin(answer.data);
    return answer;
  }

  /**
   * POST /auth/login/mfa: the second step of a sign-in whose password was right, with the ticket
   * the first step answered and a code from the authenticator app or a recovery code.
   */
  async function signInWithCode(body: { ticket: string; code?: string; recoveryCode?: string }) {
    const answer = await useApi().POST('/api/v1/auth/login/mfa', { body });
    if (answer.data) acceptLogin(answer.data);
    return answer;
  }

  /**
   * Signs in with a passkey instead of password and code: the API's challenge, the browser's
   * prompt (which throws when the person closes it: see passkeyPromptCancelled), the signed answer.
   * Resolves to the last answer from the API.
   */
  async function signInWithPasskey() {
    const options = await useApi().POST('/api/v1/auth/passkey/options');
    if (!options.data) return options;
    // Loaded here, not with the store: it stays out of the first page's JavaScript.
    const { startAuthentication } = await import('@simplewebauthn/browser');
    const credential = await startAuthentication({ optionsJSON: options.data.options as never });
    const answer = await useApi().POST('/api/v1/auth/passkey', {
      body: { challengeId: options.data.challengeId, credential: credential as never },
    });
    if (answer.data) acceptLogin(answer.data);
    return answer;
  }

  /** Ends the session server-side, here and in every other tab. */
  async function signOut(): Promise<void> {
    await exclusively(() =>
      useApi()
        .POST('/api/v1/auth/logout')
        .catch(() => undefined),
    );
    signedOut();
    channel?.postMessage({ type: 'signed-out' } satisfies Message);
  }

  /** The account changed (name, verification): keep the copy in memory current. */
  function updateUser(next: User): void {
    user.value = next;
  }

  if (channel) {
    // Signed out in another tab: here too. Signed in there: take the session, unless this tab has one.
    channel.onmessage = ({ data }: MessageEvent<Message>) => {
      if (data.type === 'signed-out') signedOut();
      else if (status.value !== 'signed-in') void refresh();
    };
  }

  return {
    accessToken,
    user,
    status,
    endedReason,
    refresh,
    restore,
    acceptLogin,
    signIn,
    signInWithCode,
    signInWithPasskey,
    signOut,
    signedOut,
    updateUser,
  };
});
