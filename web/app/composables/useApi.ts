import type { ApiClient } from '~/api/client';

/** The typed API client (see app/api/client.ts). */
export function useApi(): ApiClient {
  return useNuxtApp().$api as ApiClient;
}
