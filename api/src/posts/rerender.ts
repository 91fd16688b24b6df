import type { DataSource } from 'typeorm';
import type { ContentService } from '../content/content.service.js';

export interface RerenderProgress {
  readonly done: number;
  readonly total: number;
}

interface Pending {
  id: string;
  content: string;
  /** updated_at as PostgreSQL prints it, microseconds included, to compare exactly. */
  stamp: string;
}

/**
 * Re-renders every post whose stored rendering came from another RENDERER_VERSION, in batches
 * walked by primary key. Each batch is one short UPDATE, so rows are locked only for a moment and
 * the table never is. A post edited meanwhile (its updated_at moved) is left alone: the edit
 * already rendered it with the current version. Interrupted, it resumes where it stopped, since
 * it only ever looks at posts still on another version.
 */
export async function rerenderPosts(
  dataSource: DataSource,
  content: ContentService,
  options: { batchSize?: number; maxBatches?: number; onProgress?: (progress: RerenderProgress) => void } = {},
): Promise<RerenderProgress> {
  const batchSize = options.batchSize ?? 200;
  const version = content.version;
  const [{ n }] = await dataSource.query<[{ n: string }]>(
    'SELECT count(*) AS n FROM posts WHERE renderer_version <> $1',
    [version],
  );
  const total = Number(n);
  let done = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (let batch = 0; options.maxBatches === undefined || batch < options.maxBatches; batch++) {
    const rows = await dataSource.query<Pending[]>(
      `SELECT id, content, updated_at::text AS stamp FROM posts
        WHERE renderer_version <> $1 AND id > $2 ORDER BY id LIMIT $3`,
      [version, after, batchSize],
    );
    if (rows.length === 0) break;
    const rendered = await content.renderMany(rows.map((r) => r.content));
    await dataSource.query(
      `UPDATE posts p
          SET content_html = v.html, excerpt = v.excerpt, word_count = v.words,
              reading_time_minutes = v.minutes, renderer_version = $2
         FROM jsonb_to_recordset($1::jsonb)
              AS v(id uuid, stamp text, html text, excerpt text, words int, minutes int)
        WHERE p.id = v.id AND p.updated_at = v.stamp::timestamptz`,
      [
        JSON.stringify(
          rendered.map((result, i) => ({
            id: rows[i]?.id,
            stamp: rows[i]?.stamp,
            html: result.html,
            excerpt: result.excerpt,
            words: result.wordCount,
            minutes: result.readingTimeMinutes,
          })),
        ),
        version,
      ],
    );
    done += rows.length;
    after = rows[rows.length - 1]?.id ?? after;
    options.onProgress?.({ done, total });
  }
  return { done, total };
}
