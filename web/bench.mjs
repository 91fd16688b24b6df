#!/usr/bin/env node
/**
 * `npm run bench -- web`: the built app on the real stack (e2e/stack.mjs, served like production
 * by serve.mjs). Prints the JavaScript the first page of `/` and of `/write` loads (gzip, each
 * file compressed at level 9; prefetched chunks for other pages not counted; BENCH_FILES=1 lists
 * the files), the first against the 100 KB budget, and Lighthouse's performance and accessibility
 * scores (Debian's Chromium, mobile and desktop settings) against 95.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, launchChromium } from '../scripts/lib/chromium.mjs';
import { startStack } from './e2e/stack.mjs';

const BUDGET_KB = 100;
const account = {
  email: `bench-${Date.now()}@example.test`,
  password: 'Correct-Horse-Battery-9',
  displayName: 'Bench',
};

/** JavaScript a first load of `path` fetches, in gzip bytes, by file. */
async function firstPageJs(context, url) {
  const page = await context.newPage();
  const files = new Map();
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    const body = await response.body().catch(() => null);
    if (body) files.set(new URL(response.url()).pathname, gzipSync(body, { level: 9 }).length);
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.close();
  // BENCH_FILES=1 lists each file, biggest first: where to look when a page grows.
  if (process.env.BENCH_FILES) {
    for (const [file, bytes] of [...files].sort((a, b) => b[1] - a[1])) {
      console.log(`  ${new URL(url).pathname.padEnd(7)} ${(bytes / 1024).toFixed(1).padStart(6)} KB  ${file}`);
    }
  }
  return [...files.values()].reduce((sum, n) => sum + n, 0);
}

async function lighthouseScores(url, config) {
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM_PATH, chromeFlags: [...CHROMIUM_FLAGS] });
  try {
    const { lhr } = await lighthouse(
      url,
      { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] },
      config,
    );
    return {
      performance: Math.round(lhr.categories.performance.score * 100),
      accessibility: Math.round(lhr.categories.accessibility.score * 100),
      fcp: lhr.audits['first-contentful-paint'].displayValue,
      lcp: lhr.audits['largest-contentful-paint'].displayValue,
      tbt: lhr.audits['total-blocking-time'].displayValue,
    };
  } finally {
    await chrome.kill();
  }
}

const stack = await startStack();
try {
  // An author with a post, so the feed has something to show.
  const json = (body, token) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  await fetch(`${stack.webUrl}/api/v1/auth/register`, json(account));
  const { accessToken } = await (await fetch(`${stack.webUrl}/api/v1/auth/login`, json(account))).json();
  for (let i = 1; i <= 5; i++) {
    await fetch(
      `${stack.webUrl}/api/v1/posts`,
      json({ content: `## Post ${i}\n\nSome **text** and a [link](https://example.com).` }, accessToken),
    );
  }

  const browser = await launchChromium();
  const anonymous = await browser.newContext();
  const feedBytes = await firstPageJs(anonymous, `${stack.webUrl}/`);
  const signedIn = await browser.newContext();
  const page = await signedIn.newPage();
  await page.goto(`${stack.webUrl}/sign-in`);
  await page.getByLabel('E-mail address').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.close();
  const writeBytes = await firstPageJs(signedIn, `${stack.webUrl}/write`);
  await browser.close();

  const kb = (n) => Math.round((n / 1024) * 10) / 10;
  console.log(
    `first-page JavaScript, gzip: /       ${kb(feedBytes)} KB   (${(feedBytes / 1024 / BUDGET_KB).toFixed(2)}× the ${BUDGET_KB} KB budget)`,
  );
  console.log(
    `first-page JavaScript, gzip: /write  ${kb(writeBytes)} KB   (the editor's own route: CodeMirror loads here, not on /)`,
  );

  const mobile = await lighthouseScores(`${stack.webUrl}/`, undefined);
  const desktop = await lighthouseScores(`${stack.webUrl}/`, desktopConfig);
  for (const [name, s] of [
    ['mobile', mobile],
    ['desktop', desktop],
  ]) {
    console.log(
      `Lighthouse / (${name}): performance ${s.performance}, accessibility ${s.accessibility}   (FCP ${s.fcp}, LCP ${s.lcp}, TBT ${s.tbt}; target ≥ 95)`,
    );
  }
  const results = process.env.BENCH_RESULTS_DIR;
  if (results) {
    await mkdir(results, { recursive: true });
    await writeFile(
      join(results, 'web.json'),
      `${JSON.stringify({ firstPageJsGzipKB: { '/': kb(feedBytes), '/write': kb(writeBytes) }, lighthouse: { mobile, desktop } }, null, 2)}\n`,
    );
  }
} finally {
  await stack.stop();
}
