/** Provides the typed API client as `$api` and restores the session from the refresh cookie. */
import { createApiClient } from '~/api/client';
import { useAuthStore } from '~/stores/auth';

export default defineNuxtPlugin((nuxtApp) => {
  const auth = useAuthStore();
  nuxtApp.provide(
    'api',
    createApiClient({
      get accessToken() {
        return auth.accessToken;
      },
      refresh: () => auth.refresh(),
    }),
  );
  // Only now: the store restores the session through $api.
  void auth.restore();
});
