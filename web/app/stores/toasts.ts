/** Short messages in a live region: errors stay until dismissed, confirmations fade after a while. */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export interface Toast {
  readonly id: number;
  readonly kind: 'error' | 'success' | 'info';
  readonly text: string;
}

export const useToasts = defineStore('toasts', () => {
  const items = ref<Toast[]>([]);
  let next = 1;

  function dismiss(id: number): void {
    items.value = items.value.filter((toast) => toast.id !== id);
  }

  function show(kind: Toast['kind'], text: string): number {
    const id = next++;
    // The same message twice in a row is shown once.
    if (items.value.at(-1)?.text === text) return items.value.at(-1)!.id;
    items.value = [...items.value.slice(-3), { id, kind, text }];
    if (kind !== 'error')
      setTimeout(() => {
        dismiss(id);
      }, 5000);
    return id;
  }

  return {
    items,
    dismiss,
    error: (text: string) => show('error', text),
    success: (text: string) => show('success', text),
    info: (text: string) => show('info', text),
  };
});
