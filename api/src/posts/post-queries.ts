/**
 * The columns every post answer needs, the author's public name included (never the e-mail).
 * In a module of its own, free of Nest, so the feed benchmark's bare reference runs exactly it.
 */
export const SELECT_POST = `
  SELECT p.id, p.content, p.content_html, p.excerpt, p.word_count, p.reading_time_minutes,
         p.created_at, p.updated_at, p.version,
         to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position,
         u.id AS author_id, u.display_name AS author_display_name
    FROM posts p JOIN users u ON u.id = p.author_id`;
