// Hostile Markdown shared by the tests (tests/js/pathological.spec.ts: safe and bounded output)
// and the benchmark (bench/render.bench.mjs: how long each takes, and how time grows with size).
const n = 100_000;

/** Inputs of about 100 KB to 1 MB, named for failure messages. */
export const PATHOLOGICAL_INPUTS = [
  ['100,000 nested blockquotes', '>'.repeat(n) + ' deep'],
  ['100,000 nested brackets', '['.repeat(n) + 'x'],
  ['100,000 unclosed links', '[a]('.repeat(n)],
  ['long star runs', '*'.repeat(n) + 'x' + '*'.repeat(n)],
  ['mixed delimiter runs', '***_~~'.repeat(n / 2)],
  ['a backtick run', '`'.repeat(n) + 'x'],
  ['a backtick ladder', Array.from({ length: 999 }, (_, i) => '`'.repeat(i + 1) + 'a').join('')],
  ['1 MB in one line', 'word '.repeat(200_000)],
  ['1 MB in one word', 'a'.repeat(1_000_000)],
  ['100,000 nested list markers', '- '.repeat(n) + 'x'],
  ['1,000 indented nested lists', Array.from({ length: 1000 }, (_, i) => ' '.repeat(2 * i) + '- x\n').join('')],
  ['100,000 raw <div> opened', '<div>'.repeat(n)],
  ['100,000 raw <b> opened', '<b>'.repeat(n)],
  ['100,000 raw <b> in paragraphs', 'x <b>a\n\n'.repeat(n)],
  [
    '20,000 distinct raw <b x=N> then paragraphs',
    Array.from({ length: 20_000 }, (_, i) => `<b x=${i}>`).join('') + 'a\n\n'.repeat(20_000),
  ],
  ['raw nested svg', '<svg><g>'.repeat(n / 2)],
  ['an unterminated comment', '<!--' + '<div>'.repeat(n)],
  ['almost-autolinks', '(http://a.b_'.repeat(n)],
  ['1 MB of `& ` in a paragraph', '& '.repeat(500_000)],
  ['1 MB of `&x;` in a code block', '```\n' + '&x;'.repeat(333_333) + '\n```'],
];

/**
 * Text full of `&`, in a paragraph and in a code block, of about `bytes` bytes: html5ever's tree
 * builder was quadratic on such runs (3.7 s for 1 MB with the previous engine).
 */
export function entityRuns(bytes) {
  return [
    ['`& ` in a paragraph', '& '.repeat(bytes / 2)],
    ['`&x;` in a paragraph', '&x;'.repeat(Math.floor(bytes / 3))],
    ['`& ` in a code block', '```\n' + '& '.repeat(bytes / 2) + '\n```'],
    ['`&x;` in a code block', '```\n' + '&x;'.repeat(Math.floor(bytes / 3)) + '\n```'],
  ];
}
