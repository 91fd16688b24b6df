// Public entry of @nuell/native. The native functions come from binding.js,
// which napi-rs generates; only the batch scheduling is written here.
import { availableParallelism } from 'node:os';

import { RENDERER_VERSION, renderMarkdown, renderMarkdownChunk } from './binding.js';

export { RENDERER_VERSION, renderMarkdown };

// A chunk is rendered by one libuv worker. Chunks stay small so that the
// main thread only ever converts a little input or output at a time (the
// event loop keeps running between chunks), and several are in flight so
// every core works. libuv's pool has 4 threads by default, shared with fs,
// dns and crypto, so at most that many chunks run at once.
const CHUNK_MAX_DOCUMENTS = 64;
const CHUNK_MAX_CHARS = 256 * 1024;
const CHUNKS_IN_FLIGHT = Math.max(1, Math.min(availableParallelism(), 4));

/**
 * Renders many Markdown documents off the main thread.
 * @param {readonly string[]} sources
 * @param {import('./binding.js').RenderOptions} [options] where the posts are shown
 * @returns {Promise<import('./binding.js').Rendered[]>} results in input order
 */
export async function renderMarkdownBatch(sources, options) {
  if (!Array.isArray(sources)) {
    throw new TypeError('renderMarkdownBatch expects an array of strings');
  }
  const results = new Array(sources.length);
  let next = 0;
  let failed = false;

  const worker = async () => {
    while (next < sources.length && !failed) {
      const start = next;
      let end = start;
      let chars = 0;
      while (end < sources.length && end - start < CHUNK_MAX_DOCUMENTS && (end === start || chars < CHUNK_MAX_CHARS)) {
        chars += typeof sources[end] === 'string' ? sources[end].length : 0;
        end += 1;
      }
      next = end;
      try {
        const rendered = await renderMarkdownChunk(sources.slice(start, end), options);
        for (let i = 0; i < rendered.length; i += 1) results[start + i] = rendered[i];
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };

  const workers = Math.min(CHUNKS_IN_FLIGHT, sources.length);
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
