/**
 * A post an operator hid, as its author meets it in the web app: the post's page says that an
 * operator hid it, when and why in the operator's words, and that nothing is deleted; their own
 * page (My posts) and their drafts show it with the reason; everyone else gets "not found" and no
 * trace in the feed. Once restored, the notice is gone. (The operator's side, in the panel, is
 * admin/test/moderation-browser.spec.ts; here the stack has no panel, so the test writes the
 * hidden state as PostsService.hide does.)
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import {
  callApi as call,
  linkFromEmail,
  newAccount,
  newContext,
  pageErrors,
  signIn,
  webUrl,
  useBrowserAndDatabase,
} from './support/browser';

const stack = useBrowserAndDatabase();

/** Looked at when the notice changes; not compared. */
const SHOTS = fileURLToPath(new URL('../../test-reports/screenshots/', import.meta.url));

/** axe's serious and critical findings on the page, in words. */
async function violations(page: import('playwright-core').Page): Promise<string[]> {
  const { violations: found } = await new AxeBuilder({ page }).analyze();
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const REASON = 'It publishes a neighbour’s home address. Remove the address and we will restore it.';

describe('a post an operator hid', () => {
  it('tells its author, on the post, in My posts and in Drafts, what happened and why; others get not found', async () => {
    const author = newAccount('Hidden Hannah');
    await call('/api/v1/auth/register', author);
    const link = await linkFromEmail(author.email, /Confirm your e-mail/);
    await call('/api/v1/auth/email/verify', { token: new URLSearchParams(link.hash.slice(1)).get('token') });
    const { accessToken } = await call('/api/v1/auth/login', { email: author.email, password: author.password });
    const title = `Street party ${Math.random().toString(36).slice(2, 8)}`;
    const post = await call('/api/v1/posts', { title, content: 'Everyone is welcome.' }, accessToken as string);
    const kept = await call(
      '/api/v1/posts',
      { title: `${title} (kept)`, content: 'Still here.' },
      accessToken as string,
    );

    await stack.db.query(`UPDATE posts SET hidden_at = now(), hidden_reason = $2, hidden_by = NULL WHERE id = $1`, [
      post.id,
      REASON,
    ]);

    // A reader: not found, and no trace in the feed.
    const anonymous = await newContext(stack.browser);
    const reader = await anonymous.newPage();
    await reader.goto(post.path as string);
    await reader.getByRole('heading', { name: 'Post not found' }).waitFor();
    await reader.goto('/');
    await reader.getByText(`${title} (kept)`).waitFor();
    expect(await reader.getByText(title, { exact: true }).count()).toBe(0);
    await anonymous.close();

    // The author: the post's page says what happened and why, in words.
    const context = await newContext(stack.browser);
    const page = await context.newPage();
    const errors = pageErrors(page);
    await signIn(page, author);
    await page.goto(post.path as string);
    const notice = page.getByRole('note', { name: 'Your post is hidden' });
    await notice.getByText(/^An operator hid your post on /).waitFor();
    expect(await notice.textContent()).toContain('Readers cannot see it');
    expect(await notice.getByText(REASON).count()).toBe(1);
    expect(await notice.textContent()).toContain('Nothing is deleted');
    await page.getByRole('heading', { name: title }).waitFor();
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}web-post-hidden.png` });
    expect(await violations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await notice.getByText(/^An operator hid your post on /).waitFor();
    expect(await violations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });

    // My posts: the hidden post is listed with the reason; the other one without.
    await page.getByRole('link', { name: 'My posts' }).click();
    const card = page.getByRole('article', { name: title, exact: true });
    await card.getByText('Hidden by an operator').waitFor();
    expect(await card.textContent()).toContain(REASON);
    await page.screenshot({ path: `${SHOTS}web-my-posts-hidden.png` });
    expect(await violations(page)).toEqual([]);
    expect(
      await page
        .getByRole('article', { name: kept.title as string })
        .getByText('Hidden by an operator')
        .count(),
    ).toBe(0);

    // Taken back to a draft, it says so in Drafts too.
    await call(`/api/v1/posts/${post.id as string}`, { status: 'draft' }, accessToken as string, 'PATCH');
    await page.goto('/drafts');
    await page.getByRole('article', { name: title }).getByText('Hidden by an operator').waitFor();
    await call(`/api/v1/posts/${post.id as string}`, { status: 'published' }, accessToken as string, 'PATCH');

    // Restored: the notice is gone.
    await stack.db.query(`UPDATE posts SET hidden_at = NULL, hidden_reason = NULL, hidden_by = NULL WHERE id = $1`, [
      post.id,
    ]);
    await page.goto(post.path as string);
    await page.getByRole('heading', { name: title }).waitFor();
    expect(await page.getByRole('note', { name: 'Your post is hidden' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
