import { fileURLToPath } from 'node:url';

// Deterministic, realistic Markdown for the benchmark: a seeded generator
// mixes paragraphs, lists, tables, code, links, some raw HTML and a few
// attack strings, so both renderers do the work real posts cause.

/** mulberry32: small, fast, good enough for picking content. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an they you ' +
  'were her all she there would their we him been has when who will more no if out so said what up its about into ' +
  'than them can only other new some could time these two may then do first any my now such like our over man me ' +
  'even most made after also did many before must through back years where much your way well down should because ' +
  'release notes performance latency café naïve résumé Zürich 東京 данные improvement'
).split(' ');

const ATTACKS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[click](javascript:alert(1))',
  '<a href="java&#x09;script:alert(1)">x</a>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<svg onload=alert(1)><circle r=1 /></svg>',
  '<p style="background:url(javascript:alert(1))">styled</p>',
];

function pick(random, list) {
  return list[Math.floor(random() * list.length)];
}

function words(random, count) {
  const out = [];
  for (let i = 0; i < count; i += 1) out.push(pick(random, WORDS));
  return out.join(' ');
}

function inline(random, count, rawHtml = true) {
  const parts = [];
  let left = count;
  while (left > 0) {
    const n = 1 + Math.floor(random() * 8);
    const text = words(random, Math.min(n, left));
    left -= n;
    const r = random();
    if (r < 0.08) parts.push(`*${text}*`);
    else if (r < 0.14) parts.push(`**${text}**`);
    else if (r < 0.19) parts.push(`\`${text}\``);
    else if (r < 0.25) parts.push(`[${text}](https://example.com/${Math.floor(random() * 1000)}?q=${n})`);
    else if (r < 0.27) parts.push(`see https://docs.example.org/page/${n} and www.example.net`);
    else if (r < 0.29) parts.push(`~~${text}~~`);
    else if (r < 0.31) parts.push(rawHtml ? `<kbd>${text}</kbd>` : `**${text}**`);
    else parts.push(text);
  }
  return parts.join(' ');
}

function block(random, rawHtml) {
  const r = random();
  if (r < 0.1) return `${'#'.repeat(1 + Math.floor(random() * 3))} ${words(random, 4)}`;
  if (r < 0.5) return inline(random, 30 + Math.floor(random() * 60), rawHtml);
  if (r < 0.62) {
    return Array.from({ length: 2 + Math.floor(random() * 5) }, () => `- ${inline(random, 8, rawHtml)}`).join('\n');
  }
  if (r < 0.68) {
    return Array.from(
      { length: 2 + Math.floor(random() * 4) },
      (_, i) => `${i + 1}. ${inline(random, 8, rawHtml)}`,
    ).join('\n');
  }
  if (r < 0.72) return `- [x] ${words(random, 4)}\n- [ ] ${words(random, 5)}`;
  if (r < 0.8) {
    const rows = Array.from(
      { length: 2 + Math.floor(random() * 6) },
      () => `| ${words(random, 2)} | ${inline(random, 3, rawHtml)} | ${Math.floor(random() * 100)} |`,
    );
    return ['| Name | Notes | Count |', '|:--|:-:|--:|', ...rows].join('\n');
  }
  if (r < 0.88) {
    const lines = Array.from(
      { length: 3 + Math.floor(random() * 10) },
      () => `  let ${pick(random, WORDS)} = "${words(random, 3)}"; // <tag> & more`,
    );
    return ['```rust', 'fn main() {', ...lines, '}', '```'].join('\n');
  }
  if (r < 0.93) return `> ${inline(random, 25, rawHtml)}`;
  if (!rawHtml) return inline(random, 20 + Math.floor(random() * 40), rawHtml);
  if (r < 0.97)
    return `<details><summary>${words(random, 3)}</summary>\n\n${inline(random, 20, rawHtml)}\n\n</details>`;
  return `${words(random, 5)} ${pick(random, ATTACKS)} ${words(random, 5)}`;
}

/**
 * One document of about `bytes` UTF-8 bytes. With `rawHtml: false`, no raw HTML at all (how most
 * posts look): the raw-HTML parts become Markdown ones.
 */
export function document(random, bytes, { rawHtml = true } = {}) {
  const blocks = [];
  let size = 0;
  while (size < bytes) {
    const b = block(random, rawHtml);
    blocks.push(b);
    size += Buffer.byteLength(b) + 2;
  }
  return blocks.join('\n\n');
}

export function corpus(seed, count, bytes, options = {}) {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => document(random, bytes, options));
}

/** The benchmark's three mixed sets (same seeds and sizes as render.bench.mjs). */
export const SIZES = [
  { label: '1KB', bytes: 1024, documents: 2000 },
  { label: '10KB', bytes: 10 * 1024, documents: 300 },
  { label: '100KB', bytes: 100 * 1024, documents: 30 },
];

export function mixedCorpus() {
  return SIZES.map((size, i) => [size.label, corpus(1000 + i, size.documents, size.bytes)]);
}

/** The second set: 10 KB documents without any raw HTML. */
export function plainCorpus() {
  return corpus(2001, 300, 10 * 1024, { rawHtml: false });
}

// `node bench/corpus.mjs --json` prints every set; the Rust tests run on them.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--json')) {
  process.stdout.write(JSON.stringify([...mixedCorpus(), ['10KB, no raw HTML', plainCorpus()]]));
}
