/**
 * The statements of the hot reads of posts, as texts: every post answer's columns, the author's
 * public name included (never the e-mail), and the feed. In a module of its own, free of Nest, so
 * the feed benchmark's bare reference runs exactly these.
 */

/** What every post answer shows, and `position`: the list's order key to the microsecond, for the cursor. */
const selectPosts = (orderKey: 'published_at' | 'updated_at', extra = '') => `
  SELECT p.id, p.title, p.short_id, p.status, p.content, p.content_html, p.excerpt, p.word_count,
         p.reading_time_minutes, p.created_at, p.updated_at, p.published_at, p.version, p.hidden_at, p.hidden_reason,
         to_char(p.${orderKey} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position,
         u.id AS author_id, u.display_name AS author_display_name${extra}
    FROM posts p JOIN users u ON u.id = p.author_id`;

/** Posts as readers list them: by publication. */
export const SELECT_POST = selectPosts('published_at');

/**
 * One post as it is read alone: also when its author's account last changed, which its version
 * does not cover (their name is in the answer), for conditional reads (PostsService.get).
 */
export const SELECT_ONE_POST = selectPosts('published_at', ', u.updated_at AS author_updated_at');

/** Posts as their author lists them: most recently changed first. */
export const SELECT_OWN_POST = selectPosts('updated_at');

/**
 * The feed: published posts of active authors that no operator hid, newest publication first,
 * optionally of one author and after a cursor position. Each shape is one fixed text, so each is
 * one prepared statement; `status = 'published' AND hidden_at IS NULL` is written out so that the
 * partial indexes (posts_published_idx, posts_author_published_idx) serve it.
 */
export function feedStatement(shape: { readonly author: boolean; readonly after: boolean }): string {
  let n = 0;
  const where = [`p.status = 'published'`, 'p.hidden_at IS NULL', 'u.is_active'];
  if (shape.author) where.push(`p.author_id = $${++n}`);
  if (shape.after) where.push(`(p.published_at, p.id) < ($${++n}::timestamptz, $${++n}::uuid)`);
  return `${SELECT_POST} WHERE ${where.join(' AND ')} ORDER BY p.published_at DESC, p.id DESC LIMIT $${n + 1}`;
}

/**
 * An author's own posts, drafts and hidden ones included, most recently changed first, optionally of one status
 * and after a cursor position (posts_author_updated_idx). The caller is the author, so their
 * account is active.
 */
export function ownPostsStatement(shape: { readonly status: boolean; readonly after: boolean }): string {
  let n = 1;
  const where = ['p.author_id = $1'];
  if (shape.status) where.push(`p.status = $${++n}`);
  if (shape.after) where.push(`(p.updated_at, p.id) < ($${++n}::timestamptz, $${++n}::uuid)`);
  return `${SELECT_OWN_POST} WHERE ${where.join(' AND ')} ORDER BY p.updated_at DESC, p.id DESC LIMIT $${n + 1}`;
}
