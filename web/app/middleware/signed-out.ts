/** Sign-in and sign-up pages: someone already signed in goes where they were heading. */
import { useAuthStore } from '~/stores/auth';
import { safeNext } from '~/utils/navigation';

export default defineNuxtRouteMiddleware(async (to) => {
  const auth = useAuthStore();
  await auth.restore();
  if (auth.status === 'signed-in') return navigateTo(safeNext(to.query.next));
});
