/** Private pages: wait until the session is known, then send the signed-out to sign in and back. */
import { useAuthStore } from '~/stores/auth';

export default defineNuxtRouteMiddleware(async (to) => {
  const auth = useAuthStore();
  await auth.restore();
  if (auth.status !== 'signed-in') return navigateTo({ path: '/sign-in', query: { next: to.fullPath } });
});
