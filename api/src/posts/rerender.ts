/**
 * Re-rendering stored posts with the current content engine: one batch (renderAndStore), and every
 * stale post batch by batch (rerenderPosts, behind posts:rerender). Free of Nest, so the command
 * line runs it on a bare data source.
 */
import { NIL } from 'uuid';
import type { ContentService } from '../content/content.service.js';
import type { PostsRepository, StalePost } from './posts.repository.js';

export interface RerenderProgress {
  readonly done: number;
  readonly total: number;
}

/**
 * Renders these posts with the current content engine and stores the results in one short UPDATE;
 * a post edited since it was read keeps its edit. How many were stored. The one way a batch is
 * re-rendered, by posts:rerender and by operators alike.
 */
export async function renderAndStore(
  posts: PostsRepository,
  content: ContentService,
  batch: readonly StalePost[],
): Promise<number> {
  const rendered = await content.renderMany(batch.map((post) => post.content));
  return posts.storeRendered(
    batch.map(({ id, stamp }, i) => ({ id, stamp, ...(rendered[i] as (typeof rendered)[number]) })),
    content.version,
  );
}

/**
 * Re-renders every post whose stored rendering came from another RENDERER_VERSION, in batches
 * walked by primary key. Each batch is one short UPDATE, so rows are locked only for a moment and
 * the table never is. A post edited meanwhile is left alone: the edit already rendered it with the
 * current version. Interrupted, it resumes where it stopped, since it only ever looks at posts
 * still on another version.
 */
export async function rerenderPosts(
  posts: PostsRepository,
  content: ContentService,
  options: { batchSize?: number; maxBatches?: number; onProgress?: (progress: RerenderProgress) => void } = {},
): Promise<RerenderProgress> {
  const batchSize = options.batchSize ?? 200;
  const version = content.version;
  const total = await posts.countStale(version);
  let done = 0;
  let after: string = NIL; // below every id
  for (let batch = 0; options.maxBatches === undefined || batch < options.maxBatches; batch++) {
    const rows = await posts.staleBatch(version, after, batchSize);
    if (rows.length === 0) break;
    await renderAndStore(posts, content, rows);
    done += rows.length;
    after = rows[rows.length - 1]?.id ?? after;
    options.onProgress?.({ done, total });
  }
  return { done, total };
}
