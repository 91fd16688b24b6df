/**
 * The editor's Markdown commands, on CodeMirror's state alone (no view), so that the unit tests
 * run them as the toolbar and the shortcuts do. Formatting toggles: a second press takes off what
 * the first put on (read from the Markdown syntax tree, so it also recognises formatting typed by
 * hand, `__bold__` as well as `**bold**`), and a line is never given a second heading marker.
 */
import { ensureSyntaxTree, indentUnit, syntaxTree } from '@codemirror/language';
import { markdownLanguage } from '@codemirror/lang-markdown';
import {
  EditorSelection,
  type ChangeSpec,
  type EditorState,
  type SelectionRange,
  type StateCommand,
  type TransactionSpec,
} from '@codemirror/state';
import type { SyntaxNode, Tree } from '@lezer/common';

export type Format = 'bold' | 'italic' | 'code' | 'heading' | 'link' | 'list' | 'quote';

/** The language the commands read their syntax tree from (GFM: tables, task lists, strikethrough). */
export const language = markdownLanguage;

interface Inline {
  readonly marker: string;
  readonly node: string;
}
const INLINE: Record<'bold' | 'italic' | 'code', Inline> = {
  bold: { marker: '**', node: 'StrongEmphasis' },
  // `*`, not `_`: an underscore inside a word (`un_usual_`) is not emphasis in CommonMark.
  italic: { marker: '*', node: 'Emphasis' },
  code: { marker: '`', node: 'InlineCode' },
};

const LINE_PATTERNS: Record<'heading' | 'list' | 'quote', { match: RegExp; prefix: string }> = {
  heading: { match: /^(\s{0,3})#{1,6}(?:[ \t]+|$)/, prefix: '## ' },
  list: { match: /^(\s*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)/, prefix: '- ' },
  quote: { match: /^(\s{0,3})>[ \t]?/, prefix: '> ' },
};

/** The whole tree: the commands must see the formatting wherever the selection is. */
function treeOf(state: EditorState): Tree {
  return ensureSyntaxTree(state, state.doc.length, 500) ?? syntaxTree(state);
}

/** The innermost node called `name` that holds the whole of [from, to]. */
function enclosing(state: EditorState, from: number, to: number, name: string): SyntaxNode | null {
  const tree = treeOf(state);
  for (const side of [1, -1] as const) {
    for (let node: SyntaxNode | null = tree.resolveInner(from, side); node; node = node.parent) {
      if (node.name === name && node.from <= from && node.to >= to) return node;
    }
  }
  return null;
}

function update(state: EditorState, spec: TransactionSpec, dispatch: (tr: ReturnType<EditorState['update']>) => void) {
  dispatch(state.update({ scrollIntoView: true, userEvent: 'input', ...spec }));
  return true;
}

/** Moves a range through changes, keeping a cursor after what was inserted at it. */
function mapRange(range: SelectionRange, changes: ReturnType<EditorState['changes']>): SelectionRange {
  return EditorSelection.range(changes.mapPos(range.anchor, 1), changes.mapPos(range.head, 1));
}

function toggleInline(kind: keyof typeof INLINE): StateCommand {
  const { marker, node: nodeName } = INLINE[kind];
  return ({ state, dispatch }) => {
    const result = state.changeByRange((range) => {
      // Inside the formatting already (typed by hand or by the toolbar): take its marks off.
      const node = enclosing(state, range.from, range.to, nodeName);
      const open = node?.firstChild;
      const close = node?.lastChild;
      if (node && open && close && open !== close) {
        // Right before the closing marks (`**bold|**`): the formatting ends for what follows.
        if (range.empty && range.head === close.from) return { range: EditorSelection.cursor(close.to) };
        const changes = state.changes([
          { from: open.from, to: open.to },
          { from: close.from, to: close.to },
        ]);
        return { changes, range: mapRange(range, changes) };
      }
      // An empty pair the previous press left (`**|**`): the syntax tree has no node for it.
      const before = state.sliceDoc(range.from - marker.length, range.from);
      const after = state.sliceDoc(range.to, range.to + marker.length);
      const outer = state.sliceDoc(range.from - marker.length - 1, range.from - marker.length);
      if (range.empty && before === marker && after === marker && outer !== marker[0]) {
        const changes = state.changes([
          { from: range.from - marker.length, to: range.from },
          { from: range.to, to: range.to + marker.length },
        ]);
        return { changes, range: mapRange(range, changes) };
      }
      if (kind === 'code' && state.sliceDoc(range.from, range.to).includes('\n')) return codeBlock(state, range);

      // Wrap the selection without its surrounding blanks (`** word**` is not bold), or the word
      // at the cursor, or nothing: then the cursor sits between the two markers.
      let from = range.from;
      let to = range.to;
      if (range.empty) {
        const word = state.wordAt(range.head);
        if (word) ({ from, to } = word); // inside the word, or at its very edge
      } else {
        const text = state.sliceDoc(from, to);
        from += text.length - text.trimStart().length;
        to -= text.length - text.trimEnd().length;
        if (from >= to) ({ from, to } = range);
      }
      const changes = state.changes([
        { from, insert: marker },
        { from: to, insert: marker },
      ]);
      return {
        changes,
        range: range.empty
          ? EditorSelection.cursor(range.head + marker.length)
          : EditorSelection.range(from + marker.length, to + marker.length),
      };
    });
    return update(state, result, dispatch);
  };
}

/** Several lines as code: a fenced block, or the fences taken off when the selection is in one. */
function codeBlock(state: EditorState, range: SelectionRange) {
  const fenced = enclosing(state, range.from, range.to, 'FencedCode');
  if (fenced) {
    const first = state.doc.lineAt(fenced.from);
    const last = state.doc.lineAt(fenced.to);
    const closes = last.number > first.number && /^\s*(`{3,}|~{3,})\s*$/.test(last.text);
    const changes = state.changes([
      { from: first.from, to: Math.min(first.to + 1, state.doc.length) },
      ...(closes ? [{ from: Math.max(last.from - 1, first.to), to: last.to }] : []),
    ]);
    return { changes, range: mapRange(range, changes) };
  }
  const start = state.doc.lineAt(range.from);
  const end = state.doc.lineAt(
    range.to > range.from && range.to === state.doc.lineAt(range.to).from ? range.to - 1 : range.to,
  );
  const changes = state.changes([
    { from: start.from, insert: '```\n' },
    { from: end.to, insert: '\n```' },
  ]);
  return { changes, range: EditorSelection.range(start.from + 4, end.to + 4) };
}

/** The lines a range touches (a selection ending at a line's start leaves that line out). */
function linesOf(state: EditorState, range: SelectionRange) {
  const first = state.doc.lineAt(range.from).number;
  let last = state.doc.lineAt(range.to).number;
  if (last > first && range.to === state.doc.line(last).from) last--;
  const lines = [];
  for (let n = first; n <= last; n++) lines.push(state.doc.line(n));
  return lines;
}

/**
 * Headings, lists and quotes: when every line of the selection already has the marker, it comes
 * off; otherwise the lines without it get it. A heading of another level counts as a heading, so
 * a second press never stacks `## ## Title`.
 */
function toggleLines(kind: keyof typeof LINE_PATTERNS): StateCommand {
  const { match, prefix } = LINE_PATTERNS[kind];
  return ({ state, dispatch }) => {
    const result = state.changeByRange((range) => {
      const lines = linesOf(state, range);
      const written = lines.filter((line) => line.text.trim() !== '' || lines.length === 1);
      const all = written.every((line) => match.test(line.text));
      const specs: ChangeSpec[] = [];
      for (const line of written) {
        const found = match.exec(line.text);
        if (all && found) {
          specs.push({ from: line.from + (found[1]?.length ?? 0), to: line.from + found[0].length });
        } else if (!found) {
          // A list item keeps its place in the list; anything else starts at its indentation.
          const indent = /^\s*/.exec(line.text)![0].length;
          const at = kind === 'heading' || kind === 'quote' ? Math.min(indent, 3) : indent;
          specs.push({ from: line.from + at, insert: prefix });
        }
      }
      const changes = state.changes(specs);
      return { changes, range: mapRange(range, changes) };
    });
    return update(state, result, dispatch);
  };
}

/** `[text](https://)` with the URL selected to type over, or the text when none was selected. */
const insertLink: StateCommand = ({ state, dispatch }) => {
  const result = state.changeByRange((range) => {
    const selected = state.sliceDoc(range.from, range.to);
    const text = selected || 'link text';
    const insert = `[${text}](https://)`;
    const url = range.from + text.length + 3;
    return {
      changes: { from: range.from, to: range.to, insert },
      range: selected
        ? EditorSelection.range(url, url + 8)
        : EditorSelection.range(range.from + 1, range.from + 1 + text.length),
    };
  });
  return update(state, result, dispatch);
};

export function formatCommand(format: Format): StateCommand {
  switch (format) {
    case 'bold':
    case 'italic':
    case 'code':
      return toggleInline(format);
    case 'heading':
    case 'list':
    case 'quote':
      return toggleLines(format);
    case 'link':
      return insertLink;
  }
}

/** The Markdown of an image: the alt text escaped, an address with blanks or brackets in `<…>`. */
export function imageMarkdown(url: string, alt: string): string {
  const text = alt
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/([\\[\]])/g, '\\$1');
  const address = /[\s()<>]/.test(url) ? `<${url.replace(/[<>]/g, encodeURIComponent)}>` : url;
  return `![${text}](${address})`;
}

export function insertImage(url: string, alt: string): StateCommand {
  return ({ state, dispatch }) => {
    const image = imageMarkdown(url.trim(), alt);
    const result = state.changeByRange((range) => {
      // Its own paragraph: blank lines around it where the line, or the one next to it, has text.
      const first = state.doc.lineAt(range.from);
      const last = state.doc.lineAt(range.to);
      // Inside a quote or a list item, the new lines keep the quote and the item's indentation.
      const markup = /^(?:[ \t]*(?:>[ \t]?|(?:[-*+]|\d{1,9}[.)])[ \t]+))*/.exec(first.text)![0];
      const inner = markup.replace(/[-*+]|\d{1,9}[.)]/g, (marker) => ' '.repeat(marker.length));
      const paragraph = `\n${inner.trimEnd()}\n${inner}`;
      let from = range.from;
      let to = range.to;
      let before = '';
      let after = '';
      const head = state.sliceDoc(first.from, from);
      if (head.length > markup.length && head.trim() !== markup.trim()) {
        from -= head.length - head.trimEnd().length;
        before = paragraph;
      } else if (head === '' && first.number > 1 && state.doc.line(first.number - 1).text.trim() !== '') {
        before = '\n';
      }
      const tail = state.sliceDoc(to, last.to);
      if (tail.trim() !== '') {
        to += tail.length - tail.trimStart().length;
        after = paragraph;
      } else if (last.number < state.doc.lines && state.doc.line(last.number + 1).text.trim() !== '') {
        after = '\n';
      }
      return {
        changes: { from, to, insert: before + image + after },
        range: EditorSelection.cursor(from + before.length + image.length),
      };
    });
    return update(state, result, dispatch);
  };
}

/** The list item a line starts, with where its text begins and its number when it has one. */
function listItem(text: string): { indent: number; content: number; number: string | undefined } | null {
  const found = /^(\s*)(?:[-*+]|(\d{1,9})[.)])([ \t]+|$)/.exec(text);
  return found ? { indent: found[1]!.length, content: found[0].length, number: found[2] } : null;
}

/**
 * The number an ordered item moved to `depth` takes: one more than the item before it at that
 * depth (its new sibling, or the parent it comes back out to), or 1 when it starts a new list.
 */
function numberAt(state: EditorState, lineNumber: number, depth: number): number {
  for (let n = lineNumber - 1; n >= 1; n--) {
    const above = state.doc.line(n);
    if (above.text.trim() === '') continue;
    const item = listItem(above.text);
    if (!item) {
      if (/^\S/.test(above.text)) break;
      continue;
    }
    if (item.indent === depth) return item.number === undefined ? 1 : Number(item.number) + 1;
    if (item.indent < depth) break;
  }
  return 1;
}

/**
 * Tab in a list item nests it under the item above (as deep as that item's text starts, which is
 * three columns for `1.` and two for `-`); elsewhere it indents by one unit. Shift-Tab takes an item
 * back to its parent's depth, or a line back by one unit.
 */
export function indentList(direction: 1 | -1): StateCommand {
  return ({ state, dispatch }) => {
    const unit = state.facet(indentUnit).length;
    const specs: ChangeSpec[] = [];
    const seen = new Set<number>();
    for (const range of state.selection.ranges) {
      for (const line of linesOf(state, range)) {
        if (seen.has(line.number)) continue;
        seen.add(line.number);
        const indent = /^[ \t]*/.exec(line.text)![0].length;
        let target = direction > 0 ? indent + unit : Math.max(0, indent - unit);
        const own = listItem(line.text);
        if (own) {
          for (let n = line.number - 1; n >= 1; n--) {
            const above = state.doc.line(n);
            if (above.text.trim() === '') continue;
            const item = listItem(above.text);
            if (!item) {
              if (/^\S/.test(above.text)) break; // a paragraph at the margin ends the list
              continue;
            }
            if (direction > 0 && item.indent === indent) {
              target = item.content;
              break;
            }
            if (direction < 0 && item.indent < indent) {
              target = item.indent;
              break;
            }
            if (item.indent < indent) break;
          }
        }
        if (target > indent) specs.push({ from: line.from, insert: ' '.repeat(target - indent) });
        else if (target < indent) specs.push({ from: line.from, to: line.from + indent - target });
        if (own?.number !== undefined && target !== indent) {
          const number = String(numberAt(state, line.number, target));
          const at = line.from + indent;
          if (number !== own.number) specs.push({ from: at, to: at + own.number.length, insert: number });
        }
      }
    }
    if (specs.length === 0) return direction < 0; // nothing to take back: still Shift-Tab's, not the page's
    dispatch(state.update({ changes: specs, userEvent: direction > 0 ? 'input.indent' : 'delete.dedent' }));
    return true;
  };
}

/** Top-level blocks that render nothing where they stand (a link definition). */
const SILENT = new Set(['LinkReference', 'CommentBlock', 'ProcessingInstructionBlock']);

/**
 * Which of the rendered post's top-level blocks holds position `pos`: the preview scrolls to it.
 * Blocks are counted in the Markdown's own tree, so it needs no source map from the server.
 */
export function blockIndexAt(state: EditorState, pos: number): number {
  let index = -1;
  for (let node = treeOf(state).topNode.firstChild; node; node = node.nextSibling) {
    if (SILENT.has(node.name)) continue;
    if (node.from > pos) break;
    index++;
  }
  return Math.max(index, 0);
}
