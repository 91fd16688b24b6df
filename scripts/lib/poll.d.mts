type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;
export function pollUntil<T>(
  what: string,
  probe: () => T | PromiseLike<T>,
  options?: { timeoutMs?: number; intervalMs?: number },
): Promise<Truthy<T>>;
