/**
 * The editor toolbar's edits as pure functions: given the text and the selection, the range to
 * replace, its replacement and where the selection goes afterwards.
 */
export type Format = 'bold' | 'italic' | 'heading' | 'link' | 'code' | 'list' | 'quote';

export interface Edit {
  /** Replace value[from, to) with `insert`… */
  readonly from: number;
  readonly to: number;
  readonly insert: string;
  /** …then select this range of the new text. */
  readonly selectFrom: number;
  readonly selectTo: number;
}

function wrap(value: string, start: number, end: number, marker: string, placeholder: string): Edit {
  const selected = value.slice(start, end) || placeholder;
  return {
    from: start,
    to: end,
    insert: `${marker}${selected}${marker}`,
    selectFrom: start + marker.length,
    selectTo: start + marker.length + selected.length,
  };
}

/** Prefixes every line the selection touches (headings, lists, quotes). */
function prefixLines(value: string, start: number, end: number, prefix: (index: number) => string): Edit {
  const from = value.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = value.indexOf('\n', end);
  const to = lineEnd === -1 ? value.length : lineEnd;
  const lines = value.slice(from, to).split('\n');
  const insert = lines.map((line, i) => prefix(i) + line).join('\n');
  return { from, to, insert, selectFrom: from, selectTo: from + insert.length };
}

export function formatEdit(value: string, start: number, end: number, format: Format): Edit {
  const selected = value.slice(start, end);
  switch (format) {
    case 'bold':
      return wrap(value, start, end, '**', 'bold text');
    case 'italic':
      return wrap(value, start, end, '_', 'italic text');
    case 'code':
      if (selected.includes('\n')) {
        const insert = `\`\`\`\n${selected}\n\`\`\``;
        return { from: start, to: end, insert, selectFrom: start + 4, selectTo: start + 4 + selected.length };
      }
      return wrap(value, start, end, '`', 'code');
    case 'link': {
      const text = selected || 'link text';
      const insert = `[${text}](https://)`;
      const url = start + text.length + 3;
      // With a selection, select the URL to type over; without, select the text first.
      return selected
        ? { from: start, to: end, insert, selectFrom: url, selectTo: url + 8 }
        : { from: start, to: end, insert, selectFrom: start + 1, selectTo: start + 1 + text.length };
    }
    case 'heading':
      return prefixLines(value, start, end, () => '## ');
    case 'list':
      return prefixLines(value, start, end, () => '- ');
    case 'quote':
      return prefixLines(value, start, end, () => '> ');
  }
}

/** Characters as the server counts them (Unicode code points). */
export function characterCount(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}
