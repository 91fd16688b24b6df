/**
 * A post's own content passes the accessibility checks the app's pages pass: a post with images
 * (with and without alt, Markdown and raw HTML), a task list, a table and long code blocks, on its
 * page in light and dark, on a phone (390 px) and a desktop (1440 px). The content engine gives
 * every image an alt, every checkbox a name and every code block focus, a role and a name
 * (native/README.md); the post body's CSS keeps code readable in both schemes. The post is written
 * through the API, so the test does not depend on the editor.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkFromEmail, newAccount, screenshotOnFailure, webUrl } from './support/browser';
import { launchChromium } from '../../scripts/lib/chromium.mjs';

const LONG_LINE = `machine.relays[70].remove("moth") // ${'a line far wider than the page '.repeat(12)}`;
const CONTENT = [
  'A moth in relay 70 of the Mark II, and what we did about it.',
  '![A moth taped into a log book](https://images.example.org/moth.png)',
  '![](https://images.example.org/divider.png)',
  '<img src="https://images.example.org/relay.png">',
  '<img alt="The Mark II" src="https://images.example.org/mark-ii.png">',
  '- [x] find the bug\n- [ ] write it down',
  '<input type=checkbox checked> tape it into the log book',
  [
    '| relay | what we found | what we did about it | logged at |',
    '| ---: | --- | --- | --- |',
    '| 70 | a moth, between the contacts | removed it with tweezers and taped it into the book | 15:45 |',
    // A word wider than a phone's column: the table must wrap it, not scroll (a scrolling table
    // would need to take focus too).
    '| 70 | `relays[70].contacts.between_the_armature_and_the_pole_piece` | nothing else | 15:46 |',
    '| 71 | nothing, after an hour of looking | cleaned the contacts anyway | 16:50 |',
  ].join('\n'),
  '```python\ndef debug(machine):\n    ' + LONG_LINE + '\n```',
  `<pre>${LONG_LINE}</pre>`,
].join('\n\n');

/** A 1×1 PNG for every image of the post: nothing leaves the machine, and every image loads. */
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const WIDTHS = [390, 1440] as const;

let browser: Browser;
let postPath = '';

/** Publishes the post as a verified author, through the API as a script would; returns its path. */
async function publish(): Promise<string> {
  const api = `${webUrl()}/api/v1`;
  const author = newAccount('Grace Hopper');
  const post = (body: unknown, token?: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  expect((await fetch(`${api}/auth/register`, post(author))).status).toBe(201);
  const link = await linkFromEmail(author.email, /Confirm your e-mail/);
  const token = new URLSearchParams(link.hash.slice(1)).get('token');
  expect((await fetch(`${api}/auth/email/verify`, post({ token }))).ok).toBe(true);
  const login = await fetch(`${api}/auth/login`, post({ email: author.email, password: author.password }));
  const { accessToken } = (await login.json()) as { accessToken: string };
  const created = await fetch(
    `${api}/posts`,
    post({ title: 'The first actual bug', content: CONTENT, status: 'published' }, accessToken),
  );
  expect(created.status).toBe(201);
  const { path } = (await created.json()) as { path: string };
  expect(path).toMatch(/^\/posts\/the-first-actual-bug-[0-9a-z]{10}$/);
  return path;
}

/** A browser profile in this scheme at this width, with the post open and every image loaded. */
async function openPost(scheme: 'light' | 'dark', width: number): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: webUrl(),
    colorScheme: scheme,
    viewport: { width, height: 900 },
  });
  await context.route('https://images.example.org/**', (route) =>
    route.fulfill({ status: 200, contentType: 'image/png', body: PIXEL }),
  );
  const page = await context.newPage();
  await page.goto(postPath);
  await page.getByRole('heading', { level: 1, name: 'The first actual bug' }).waitFor();
  await page.locator('article .post-body pre').first().waitFor();
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>('.post-body img')].every((img) => img.complete),
  );
  return { context, page };
}

beforeAll(async () => {
  browser = await launchChromium();
  postPath = await publish();
});
afterAll(() => browser?.close());
screenshotOnFailure(() => browser?.contexts().at(-1)?.pages().at(-1));

for (const scheme of ['light', 'dark'] as const) {
  for (const width of WIDTHS) {
    describe(`a post's content in ${scheme} mode at ${width} px`, () => {
      let context: BrowserContext;
      let page: Page;
      beforeAll(async () => {
        ({ context, page } = await openPost(scheme, width));
      });
      afterAll(() => context?.close());

      it('has no accessibility violation at all; every image has an alt, every checkbox and code block a name', async () => {
        expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(scheme === 'dark');
        const { violations } = await new AxeBuilder({ page }).include('article .post-body').analyze();
        expect(
          violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        ).toEqual([]);
        const body = page.locator('article .post-body');
        // The author's alt where given, and empty (decoration) where not, raw HTML alike.
        expect(await body.locator('img').evaluateAll((imgs) => imgs.map((img) => img.getAttribute('alt')))).toEqual([
          'A moth taped into a log book',
          '',
          '',
          'The Mark II',
        ]);
        // Named by their state, which a reader cannot change (raw HTML's checkbox as Markdown's).
        expect(await body.getByRole('checkbox', { name: 'Completed task', disabled: true }).count()).toBe(2);
        expect(await body.getByRole('checkbox', { name: 'Open task', disabled: true }).count()).toBe(1);
        expect(await body.getByRole('checkbox').count()).toBe(3);
        // Both code blocks, Markdown and raw: what takes focus says what it is.
        expect(await body.getByRole('group', { name: 'Code' }).count()).toBe(2);
        expect(await body.getByRole('table').getByRole('cell', { name: 'a moth, between the contacts' }).count()).toBe(
          1,
        );
      });

      it('keeps the page within the window: tables wrap, only the code blocks scroll sideways', async () => {
        const overflow = await page.evaluate(() => ({
          page: document.documentElement.scrollWidth - window.innerWidth,
          table: (() => {
            const table = document.querySelector<HTMLElement>('.post-body table')!;
            return table.scrollWidth - table.clientWidth;
          })(),
          pres: [...document.querySelectorAll<HTMLElement>('.post-body pre')].map(
            (pre) => pre.scrollWidth > pre.clientWidth,
          ),
        }));
        expect(overflow).toEqual({ page: 0, table: 0, pres: [true, true] });
      });
    });
  }

  describe(`a post's code in ${scheme} mode`, () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      ({ context, page } = await openPost(scheme, 1440));
    });
    afterAll(() => context?.close());

    it('has AA contrast in a block whose edge stands out from the page', async () => {
      const blocks = await page.locator('article .post-body pre').evaluateAll((pres) => {
        // Computed colours may be oklch(); a canvas turns any CSS colour into sRGB bytes.
        const canvas = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
        const srgb = (colour: string): [number, number, number, number] => {
          canvas.clearRect(0, 0, 1, 1);
          canvas.fillStyle = colour;
          canvas.fillRect(0, 0, 1, 1);
          const [r = 0, g = 0, b = 0, a = 0] = canvas.getImageData(0, 0, 1, 1).data;
          return [r, g, b, a];
        };
        const luminance = ([r, g, b]: number[]) =>
          [0.2126, 0.7152, 0.0722].reduce((sum, weight, i) => {
            const c = (([r, g, b][i] ?? 0) as number) / 255;
            return sum + weight * (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
          }, 0);
        const contrast = (a: number[], b: number[]) => {
          const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
          return (light + 0.05) / (dark + 0.05);
        };
        const background = (el: Element | null): number[] => {
          for (let node = el; node; node = node.parentElement) {
            const colour = srgb(getComputedStyle(node).backgroundColor);
            if (colour[3] === 255) return colour;
          }
          return [255, 255, 255, 255];
        };
        return pres.map((pre) => {
          const text = pre.querySelector('code') ?? pre;
          const around = background(pre.parentElement);
          const style = getComputedStyle(pre);
          const edge = Number.parseFloat(style.borderTopWidth) > 0 ? srgb(style.borderTopColor) : background(pre);
          return { text: contrast(srgb(getComputedStyle(text).color), background(text)), edge: contrast(edge, around) };
        });
      });
      expect(blocks).toHaveLength(2);
      for (const block of blocks) {
        expect(block.text).toBeGreaterThanOrEqual(4.5);
        expect(block.edge).toBeGreaterThanOrEqual(3);
      }
    });

    it('is reached with Tab and scrolled sideways with the arrow keys, Markdown and raw HTML alike', async () => {
      const blocks = page.locator('article .post-body pre');
      expect(await blocks.count()).toBe(2);
      for (let index = 0; index < 2; index += 1) {
        const block = blocks.nth(index);
        expect(await block.evaluate((pre) => pre.scrollWidth > pre.clientWidth)).toBe(true);
        // Tab through the page until the block has focus: it is in the tab order, not only
        // focusable (Chromium reaches a scroller by itself; Safari needs the content engine's
        // tabindex, which axe asks for).
        let focused = false;
        for (let presses = 0; presses < 60 && !focused; presses += 1) {
          await page.keyboard.press('Tab');
          focused = await block.evaluate((pre) => document.activeElement === pre);
        }
        expect(focused).toBe(true);
        // The page's focus ring shows where the keyboard is.
        expect(
          await block.evaluate((pre) => {
            const style = getComputedStyle(pre);
            return { ring: style.outlineStyle, wide: Number.parseFloat(style.outlineWidth) >= 2 };
          }),
        ).toEqual({ ring: 'solid', wide: true });
        expect(await block.evaluate((pre) => pre.scrollLeft)).toBe(0);
        await page.keyboard.press('ArrowRight');
        await expect.poll(() => block.evaluate((pre) => pre.scrollLeft)).toBeGreaterThan(0);
        await page.keyboard.press('ArrowLeft');
        await expect.poll(() => block.evaluate((pre) => pre.scrollLeft)).toBe(0);
      }
    });
  });
}
