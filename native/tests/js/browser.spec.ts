/**
 * The XSS payloads, rendered by the engine, in a real browser (Debian's Chromium through
 * playwright-core): inserted with `innerHTML` and loaded as a whole document, with every element
 * hovered, focused and clicked. Nothing may run (alert, confirm, prompt, print, fetch, XHR,
 * window.open and sendBeacon are hooked; dialogs and page errors are watched) and nothing may load
 * but http(s) images (every request is recorded and aborted). Link and image URLs are judged by the
 * browser's own URL parser.
 */
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { renderMarkdownBatch } from '@nuell/native';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../scripts/lib/chromium.mjs';
import { exercisePage } from '../../../scripts/lib/exercise-page.mjs';

interface Payload {
  name: string;
  markdown: string;
}
const payloads: Payload[] = JSON.parse(readFileSync(new URL('../fixtures/xss-payloads.json', import.meta.url), 'utf8'));

// Runs before any script of every document the page loads.
const HOOKS = `
  window.__fired = [];
  const record = (what) => (...args) => { window.__fired.push(what + ' ' + String(args[0]).slice(0, 80)); };
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'open', 'fetch']) window[name] = record(name);
  navigator.sendBeacon = record('sendBeacon');
  XMLHttpRequest.prototype.open = record('XMLHttpRequest');
  // Script errors only (an image the route aborted fires a plain Event).
  window.addEventListener('error', (e) => { if (e instanceof ErrorEvent) window.__fired.push('error ' + e.message); }, true);
`;

/** Exercises the body (scripts/lib/exercise-page.mjs), then hands over what fired, and forgets it. */
async function exercise(page: Page) {
  const result = await page.evaluate(exercisePage, 'body');
  const fired = await page.evaluate(() => (window as unknown as { __fired: string[] }).__fired.splice(0));
  return { ...result, fired };
}

let browser: Browser | undefined;
let outputs: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  outputs = (await renderMarkdownBatch(payloads.map((p) => p.markdown))).map((r) => r.html);
});
afterAll(async () => {
  await browser?.close();
});

/** A page whose every request is recorded and aborted, and whose dialogs are recorded. */
async function watchedPage(): Promise<{ page: Page; requests: string[]; events: string[] }> {
  const page = await browser!.newPage();
  const requests: string[] = [];
  const events: string[] = [];
  await page.route('**/*', async (route) => {
    const request = route.request();
    if (request.isNavigationRequest() && request.url() === 'http://nuell.test/') {
      await route.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset=utf-8><body></body>' });
      return;
    }
    requests.push(`${request.resourceType()} ${request.url()}`);
    await route.abort();
  });
  page.on('dialog', (dialog) => {
    events.push(`dialog ${dialog.type()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => events.push(`pageerror ${error.message}`));
  await page.addInitScript(HOOKS);
  await page.goto('http://nuell.test/');
  return { page, requests, events };
}

function onlyWebImages(requests: string[]): string[] {
  return requests.filter((r) => !/^image https?:\/\//.test(r));
}

describe('XSS payloads in a browser', () => {
  it('has at least 300 payloads', () => {
    expect(payloads.length).toBeGreaterThanOrEqual(300);
  });

  it('nothing runs or loads when each output is inserted with innerHTML', async () => {
    const { page, requests, events } = await watchedPage();
    await page.evaluate((htmls) => {
      for (const [i, html] of htmls.entries()) {
        const div = document.createElement('div');
        div.className = 'post';
        div.id = `post-${i}`;
        div.innerHTML = html;
        document.body.append(div);
      }
    }, outputs);
    const result = await exercise(page);
    expect(result.elements).toBeGreaterThan(300);
    expect(result.fired).toEqual([]);
    expect(events).toEqual([]);
    expect(onlyWebImages(requests)).toEqual([]);
    expect(result.protocols.filter((p) => !['http:', 'https:', 'mailto:'].includes(p))).toEqual([]);
    await page.close();
  });

  it('nothing runs or loads when each output is loaded as a whole document', async () => {
    const { page, requests, events } = await watchedPage();
    const fired: string[] = [];
    const protocols = new Set<string>();
    for (const [i, html] of outputs.entries()) {
      await page.setContent(`<!doctype html><meta charset=utf-8><title>${i}</title><body>${html}</body>`);
      const result = await exercise(page);
      fired.push(...result.fired.map((f) => `${payloads[i]?.name}: ${f}`));
      for (const p of result.protocols) protocols.add(p);
    }
    expect(fired).toEqual([]);
    expect(events).toEqual([]);
    expect(onlyWebImages(requests)).toEqual([]);
    expect([...protocols].filter((p) => !['http:', 'https:', 'mailto:'].includes(p))).toEqual([]);
    await page.close();
  });

  it('the hooks and the request log catch what they are meant to catch', async () => {
    // Guards against a harness that sees nothing: unsanitised payloads do fire and load.
    const { page, requests, events } = await watchedPage();
    await page.setContent(
      '<!doctype html><body><img src=x onerror="alert(1)"><script>fetch("/x")</script>' +
        '<iframe src="https://evil.example/"></iframe><a href="javascript:alert(2)">x</a></body>',
    );
    const result = await exercise(page);
    expect(result.fired.join(' ')).toMatch(/alert 1/);
    expect(result.fired.join(' ')).toMatch(/fetch/);
    expect(result.protocols).toContain('javascript:');
    expect(onlyWebImages(requests).length).toBeGreaterThan(0);
    expect(events).toEqual([]);
    await page.close();
  });
});
