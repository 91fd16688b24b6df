/**
 * For the browser tests of hostile HTML: runs inside a page (hand it to `page.evaluate`, so it
 * must stay self-contained). Hovers, focuses and clicks every element inside what `selector`
 * matches; links, and what is inside them, are not clicked, since they would only navigate, which
 * the tests watch for otherwise. Before and after, it lets the page do what it does by itself,
 * waiting for the events that depends on rather than for a length of time: every image loaded or
 * failed (error handlers have run), then a rendering frame (autofocus, animation and transition
 * handlers) and the tasks they queued. Returns how many elements it exercised and the protocols of
 * their link and image URLs as the browser reads them.
 */
/* global document, requestAnimationFrame -- it runs in the page, not in Node */
export async function exercisePage(selector) {
  const settled = async () => {
    await Promise.all(
      Array.from(document.images, (img) =>
        img.complete
          ? undefined
          : new Promise((resolve) => {
              img.addEventListener('load', resolve, { once: true });
              img.addEventListener('error', resolve, { once: true });
            }),
      ),
    );
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  };
  await settled();
  const elements = Array.from(document.querySelectorAll(selector), (root) =>
    Array.from(root.querySelectorAll('*')),
  ).flat();
  for (const element of elements) {
    for (const type of ['mouseover', 'mouseenter', 'pointerdown', 'focus', 'focusin']) {
      element.dispatchEvent(new Event(type, { bubbles: true }));
    }
    if (!element.closest('a[href]')) element.click?.();
  }
  await settled();
  const urls = elements.flatMap((element) =>
    element.matches('a[href]') ? [element.href] : element.matches('img[src]') ? [element.src] : [],
  );
  return { elements: elements.length, protocols: [...new Set(urls.map((url) => new URL(url).protocol))] };
}
