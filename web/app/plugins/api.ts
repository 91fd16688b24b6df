/** Provides the typed API client as `$api` and restores the session from the refresh cookie. */
import { createApiClient } from '~/api/client';
import { useAuthStore } from '~/stores/auth';

export default defineNuxtPlugin(() => {
  const auth = useAuthStore();
  const api = createApiClient({
    get accessToken() {
      return auth.accessToken;
    },
    refresh: () => auth.refresh(),
  });
  void auth.restore();
  return { provide: { api } };
});
