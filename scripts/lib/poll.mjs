/**
 * Waiting in tests for the condition they really wait for, never for a fixed time: `probe` is
 * asked again and again until it returns something truthy, which is returned. The deadline only
 * turns a condition that never comes into a failure that says what was awaited; it asserts no
 * speed.
 */
export async function pollUntil(what, probe, { timeoutMs = 15_000, intervalMs = 20 } = {}) {
  let last;
  for (const deadline = Date.now() + timeoutMs; ;) {
    try {
      const value = await probe();
      if (value) return value;
      last = undefined;
    } catch (error) {
      // A probe may fail while the thing it watches is still on its way (a port not yet open).
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: still not so after ${timeoutMs} ms${last ? ` (last: ${last.message ?? last})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
