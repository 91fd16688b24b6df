/**
 * The editor's commands on CodeMirror states, as the toolbar and the keys run them. A document is
 * written with its selection: `|` a cursor, `«` and `»` a selected range.
 */
import { EditorSelection, EditorState, type StateCommand, type Transaction } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import {
  blockIndexAt,
  formatCommand,
  imageMarkdown,
  indentList,
  insertImage,
  language,
  type Format,
} from '~/utils/markdown-commands';
import { characterCount } from '~/utils/format';
import { listKeys } from '~/utils/markdown-editor';

function stateOf(marked: string): EditorState {
  const cursor = marked.indexOf('|');
  const doc = marked.replace(/[|«»]/g, '');
  const selection =
    cursor >= 0 ? EditorSelection.cursor(cursor) : EditorSelection.range(marked.indexOf('«'), marked.indexOf('»') - 1);
  return EditorState.create({ doc, selection, extensions: [language, EditorState.tabSize.of(4)] });
}

function marked(state: EditorState): string {
  const { from, to } = state.selection.main;
  const doc = state.doc.toString();
  return from === to
    ? `${doc.slice(0, from)}|${doc.slice(from)}`
    : `${doc.slice(0, from)}«${doc.slice(from, to)}»${doc.slice(to)}`;
}

/** Runs a command as a key press would; `null` when the command leaves the key to the page. */
function run(command: StateCommand, state: EditorState): EditorState | null {
  let next: Transaction | null = null;
  const handled = command({ state, dispatch: (tr) => (next = tr) });
  if (!handled) return null;
  return next ? (next as Transaction).state : state;
}

function press(format: Format, text: string, times = 1): string {
  let state = stateOf(text);
  for (let i = 0; i < times; i++) state = run(formatCommand(format), state)!;
  return marked(state);
}

describe('formatting toggles', () => {
  it('bold twice gives back the plain word (the selection kept on it)', () => {
    expect(press('bold', 'say «hi» now')).toBe('say **«hi»** now');
    expect(press('bold', 'say «hi» now', 2)).toBe('say «hi» now');
    // A cursor in a word takes the whole word, and a second press unwraps it from inside.
    expect(press('bold', 'say h|i now')).toBe('say **h|i** now');
    expect(press('bold', 'say h|i now', 2)).toBe('say h|i now');
  });

  it('recognises formatting typed by hand, and leaves the blanks around a selection outside', () => {
    expect(press('bold', 'a __str|ong__ word')).toBe('a str|ong word');
    expect(press('italic', 'an *emp|hasis*')).toBe('an emp|hasis');
    expect(press('bold', 'say« hi »now')).toBe('say **«hi»** now');
  });

  it('on an empty line puts the cursor between the marks, and a second press takes them off', () => {
    expect(press('bold', '|')).toBe('**|**');
    expect(press('bold', '|', 2)).toBe('|');
    expect(press('code', 'x |')).toBe('x `|`');
  });

  it('a second press with the cursor before the closing marks steps past them (typing goes on plain)', () => {
    let state = run(formatCommand('bold'), stateOf('say |'))!;
    const at = state.selection.main.head;
    state = state.update({ changes: { from: at, insert: 'bold' }, selection: { anchor: at + 4 } }).state;
    expect(marked(state)).toBe('say **bold|**');
    expect(marked(run(formatCommand('bold'), state)!)).toBe('say **bold**|');
    expect(press('italic', 'an *emphasis|*')).toBe('an *emphasis*|');
    // A cursor at the very edge of a word takes the word.
    expect(press('bold', 'say word|')).toBe('say **word|**');
    expect(press('bold', 'say |word')).toBe('say **|word**');
    expect(press('bold', 'say |word', 2)).toBe('say |word');
  });

  it('heading twice does not stack markers, and a heading of another level counts', () => {
    expect(press('heading', 'Tit|le')).toBe('## Tit|le');
    expect(press('heading', 'Tit|le', 2)).toBe('Tit|le');
    expect(press('heading', '# Tit|le')).toBe('Tit|le');
    expect(press('heading', '### Tit|le')).toBe('Tit|le');
  });

  it('lists and quotes prefix every selected line, and come off when all have them', () => {
    expect(press('list', '«one\ntwo»\nthree')).toBe('- «one\n- two»\nthree');
    expect(press('list', '«- one\n- two»')).toBe('«one\ntwo»');
    expect(press('quote', 'a\nqu|ote')).toBe('a\n> qu|ote');
    expect(press('quote', 'a\n> qu|ote')).toBe('a\nqu|ote');
  });

  it('multi-line code becomes a fenced block and back', () => {
    expect(press('code', '«a\nb»')).toBe('```\n«a\nb»\n```');
    expect(press('code', '«a\nb»', 2)).toBe('«a\nb»');
  });

  it('a link leaves its address selected to type over', () => {
    expect(press('link', 'see «docs»')).toBe('see [docs](«https://»)');
  });
});

describe('Enter in a list (as the editor binds it)', () => {
  const enter = (text: string) => marked(run(listKeys[0]!.run, stateOf(text))!);

  it('continues a bulleted, a numbered and a task list', () => {
    expect(enter('- one|')).toBe('- one\n- |');
    expect(enter('1. one|')).toBe('1. one\n2. |');
    expect(enter('- [ ] task|')).toBe('- [ ] task\n- [ ] |');
    expect(enter('> quoted|')).toBe('> quoted\n> |');
  });

  it('ends the list on an empty item with a blank line, so the next paragraph is not glued on', () => {
    expect(enter('- one\n- |')).toBe('- one\n\n|');
    expect(enter('1. one\n2. |')).toBe('1. one\n\n|');
    // A quote takes a blank quoted line first (a second paragraph in it), then ends the same way.
    expect(enter('> quoted\n> |')).toBe('> quoted\n>\n> |');
    expect(enter('> quoted\n>\n> |')).toBe('> quoted\n\n|');
    // An empty nested item still goes back to its parent's level.
    expect(enter('- one\n  - two\n  - |')).toBe('- one\n  - two\n- |');
  });
});

describe('Tab in the editor', () => {
  const tab = (text: string, direction: 1 | -1 = 1) => {
    const next = run(indentList(direction), stateOf(text));
    return next ? marked(next) : null;
  };

  it('nests a list item under the one above, as deep as its text starts', () => {
    expect(tab('- one\n- tw|o')).toBe('- one\n  - tw|o');
    expect(tab('1. one\n2. tw|o')).toBe('1. one\n   1. tw|o');
  });

  it('renumbers a nested ordered item: 1 for a new list, after its sibling, after its parent on the way out', () => {
    expect(tab('1. one\n2. two\n3. |')).toBe('1. one\n2. two\n   1. |');
    expect(tab('1. one\n   1. a\n2. |')).toBe('1. one\n   1. a\n   2. |');
    expect(tab('1. one\n2. two\n   1. |', -1)).toBe('1. one\n2. two\n3. |');
  });

  it('Shift-Tab takes an item back to its parent, and a line back by one unit', () => {
    expect(tab('- one\n  - tw|o', -1)).toBe('- one\n- tw|o');
    expect(tab('    code|', -1)).toBe('  code|');
  });

  it('indents a plain line by one unit (two spaces); Shift-Tab at the margin keeps the key (does not leave)', () => {
    expect(tab('pla|in')).toBe('  pla|in');
    expect(tab('pla|in', -1)).toBe('pla|in');
  });
});

describe('the preview follows the cursor', () => {
  it('counts the rendered blocks before the cursor, skipping link definitions', () => {
    const doc = '# Title\n\n[ref]: https://example.com\n\nFirst paragraph.\n\n- a\n- b\n';
    const at = (needle: string) => blockIndexAt(stateOf(doc), doc.indexOf(needle));
    expect(at('Title')).toBe(0);
    expect(at('First')).toBe(1);
    expect(at('- b')).toBe(2);
  });
});

describe('images and counting', () => {
  it('escape the alt text and put an address with blanks in angle brackets', () => {
    expect(imageMarkdown('https://example.com/a.png', 'A [red]\nroof')).toBe(
      '![A \\[red\\] roof](https://example.com/a.png)',
    );
    expect(imageMarkdown('https://example.com/my photo.png', '')).toBe('![](<https://example.com/my photo.png>)');
  });

  it('an image goes into its own paragraph, the cursor after it', () => {
    const image = (text: string) => marked(run(insertImage('https://e.com/a.png', 'A'), stateOf(text))!);
    expect(image('Last paragraph.|')).toBe('Last paragraph.\n\n![A](https://e.com/a.png)|');
    expect(image('one |two')).toBe('one\n\n![A](https://e.com/a.png)|\n\ntwo');
    expect(image('Para\n|')).toBe('Para\n\n![A](https://e.com/a.png)|');
    expect(image('|')).toBe('![A](https://e.com/a.png)|');
    expect(image('a\n\n|\n\nb')).toBe('a\n\n![A](https://e.com/a.png)|\n\nb');
  });

  it('count characters as the server does (code points)', () => {
    expect(characterCount('héllo 👋')).toBe(7);
  });
});
