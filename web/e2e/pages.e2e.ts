/**
 * Every page, light and dark, desktop and phone: axe finds no serious or critical accessibility
 * violation, each page has a title and a language. Screenshots of the main pages go to
 * test-reports/screenshots/; `npm run screenshots -w @nuell/web` writes the README's, in
 * docs/screenshots/, so an ordinary test run leaves the committed ones alone.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkFromEmail, newAccount, newContext, signIn, webUrl, type Account } from './support/browser';
import { launchChromium } from '../../scripts/lib/chromium.mjs';

const SHOTS = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS === 'true' ? '../../docs/screenshots/' : '../../test-reports/screenshots/',
    import.meta.url,
  ),
);

let browser: Browser;
const writer: Account = newAccount('Grace Hopper');
let postId = '';
let authorId = '';

/** Seeds an author with a few posts through the public API, as a script would. */
async function seed(): Promise<void> {
  const api = `${webUrl()}/api/v1`;
  const json = (body: unknown, token?: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const registered = (await (await fetch(`${api}/auth/register`, json(writer))).json()) as { id: string };
  authorId = registered.id;
  const link = await linkFromEmail(writer.email, /Confirm your e-mail/);
  await fetch(`${api}/auth/email/verify`, json({ token: new URLSearchParams(link.hash.slice(1)).get('token') }));
  const login = await fetch(`${api}/auth/login`, { ...json({ email: writer.email, password: writer.password }) });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const posts = [
    {
      title: 'Notes on a compiler',
      content:
        'The first compiler turned **symbols** into machine code. A few things I learned:\n\n- write it down\n- test the edge cases\n- ship it',
    },
    {
      title: 'Finding the bug',
      content:
        'A moth in relay 70 of the Mark II. We taped it into the log book:\n\n> First actual case of bug being found.\n\n```python\ndef debug(machine):\n    return machine.relays[70].remove("moth")\n```',
    },
    {
      title: 'Nanoseconds',
      content:
        'I hand out pieces of wire as long as light travels in a nanosecond, so people can see what one costs.\n\n| distance | time |\n| --- | --- |\n| 30 cm | 1 ns |\n| 300 m | 1 µs |\n\nSee [the talk](https://example.com/nanoseconds) for the wire I hand out.',
    },
  ];
  for (const post of posts) {
    const created = (await (await fetch(`${api}/posts`, json(post, accessToken))).json()) as { id: string };
    postId = created.id;
  }
}

beforeAll(async () => {
  browser = await launchChromium();
  await mkdir(SHOTS, { recursive: true });
  await seed();
});
afterAll(() => browser?.close());

interface PageCase {
  path: () => string;
  name: string;
  ready: (page: Page) => Promise<unknown>;
  signedIn?: boolean;
  shot?: boolean;
}

const PAGES: PageCase[] = [
  { name: 'feed', path: () => '/', ready: (p) => p.getByRole('article').first().waitFor(), shot: true },
  {
    name: 'post',
    path: () => `/posts/${postId}`,
    ready: (p) => p.locator('article .post-body table').waitFor(),
    shot: true,
  },
  {
    name: 'author',
    path: () => `/authors/${authorId}`,
    ready: (p) => p.getByRole('article').first().waitFor(),
    shot: true,
  },
  { name: 'sign-in', path: () => '/sign-in', ready: (p) => p.getByRole('heading', { name: 'Sign in' }).waitFor() },
  {
    name: 'sign-up',
    path: () => '/sign-up',
    ready: (p) => p.getByRole('heading', { name: 'Create an account' }).waitFor(),
    shot: true,
  },
  { name: 'forgot-password', path: () => '/forgot-password', ready: (p) => p.getByRole('heading').first().waitFor() },
  { name: 'reset-password', path: () => '/reset-password', ready: (p) => p.getByRole('heading').first().waitFor() },
  { name: 'verify-email', path: () => '/verify-email', ready: (p) => p.getByRole('heading').first().waitFor() },
  {
    name: 'not-found',
    path: () => '/no/such/page',
    ready: (p) => p.getByRole('heading', { name: 'Page not found' }).waitFor(),
  },
  {
    name: 'write',
    path: () => '/write',
    signedIn: true,
    shot: true,
    ready: async (p) => {
      await p.getByLabel('Title').fill('A new post');
      await p
        .locator('.cm-content[contenteditable="true"]')
        .fill('## What it is about\n\nWith **bold**, `code` and a [link](https://example.com).\n\n- one\n- two');
      await p.getByTestId('preview').locator('h2').waitFor();
    },
  },
  {
    name: 'edit',
    path: () => `/posts/${postId}/edit`,
    signedIn: true,
    ready: (p) => p.getByTestId('preview').locator('table').waitFor(),
  },
  {
    name: 'settings',
    path: () => '/settings',
    signedIn: true,
    shot: true,
    ready: (p) => p.getByRole('list', { name: 'Signed-in sessions' }).getByText('This device').waitFor(),
  },
  {
    name: 'developer-settings',
    path: () => '/settings/apps',
    signedIn: true,
    ready: (p) => p.getByRole('button', { name: 'Register an app' }).waitFor(),
  },
];

async function serious(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const scheme of ['light', 'dark'] as const) {
  describe(`every page in ${scheme} mode`, () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await newContext(browser, { colorScheme: scheme });
      page = await context.newPage();
    });
    afterAll(() => context.close());

    for (const item of PAGES) {
      it(`${item.name}: no serious accessibility violation, a title, a language`, async () => {
        if (item.signedIn && (await page.getByRole('button', { name: 'Sign out' }).count()) === 0) {
          await signIn(page, writer);
        }
        await page.goto(item.path());
        await item.ready(page);
        expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(scheme === 'dark');
        expect(await serious(page)).toEqual([]);
        expect(await page.title()).toMatch(/\S+ · nuell$|^nuell$/);
        expect(await page.getAttribute('html', 'lang')).toBe('en');

        if (item.shot && (scheme === 'light' || ['feed', 'write'].includes(item.name))) {
          const suffix = scheme === 'dark' ? '-dark' : '';
          await page.screenshot({ path: `${SHOTS}${item.name}${suffix}.png` });
          if (scheme === 'light') {
            await page.setViewportSize({ width: 390, height: 844 });
            await item.ready(page);
            await page.screenshot({ path: `${SHOTS}${item.name}-390.png` });
            expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
            await page.setViewportSize({ width: 1280, height: 900 });
          }
        }
      });
    }
  });
}
