/**
 * Light or dark: follows the system until the user picks one, and remembers the pick.
 * public/theme.js applies the remembered choice before the app starts (no flash, no inline script).
 */
import { onBeforeUnmount, onMounted, ref } from 'vue';

type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'nuell:theme';

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

export function useTheme() {
  const choice = ref<ThemeChoice>('system');
  const dark = ref(false);
  const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

  function apply(): void {
    dark.value = choice.value === 'dark' || (choice.value === 'system' && !!media?.matches);
    document.documentElement.classList.toggle('dark', dark.value);
  }

  function set(next: ThemeChoice): void {
    choice.value = next;
    try {
      if (next === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, next);
    } catch {
      // not remembered, still applied
    }
    apply();
  }

  /** Light → dark → system → light. */
  function cycle(): void {
    set(choice.value === 'light' ? 'dark' : choice.value === 'dark' ? 'system' : 'light');
  }

  onMounted(() => {
    choice.value = stored();
    apply();
    media?.addEventListener('change', apply);
  });
  onBeforeUnmount(() => media?.removeEventListener('change', apply));

  return { choice, dark, set, cycle };
}
