/**
 * The Markdown editor: CodeMirror 6 set up for writing prose. This module (and CodeMirror with it)
 * is imported only when an editor mounts, so the feed and every other page never load it.
 *
 * Keys: the formatting shortcuts (Ctrl/⌘+B, I, K, E), Enter continues a list or a quote (and ends
 * it on an empty item), Tab and Shift-Tab indent, Ctrl/⌘+Z undoes, Ctrl/⌘+Enter publishes. Tab is
 * the editor's, so Escape then Tab leaves it (CodeMirror's own way out; Ctrl+M, or Shift+Alt+M on
 * a Mac, makes Tab move focus until pressed again).
 */
import { defaultKeymap, history, historyKeymap, indentLess, indentMore } from '@codemirror/commands';
import { deleteMarkupBackward, insertNewlineContinueMarkupCommand } from '@codemirror/lang-markdown';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import {
  Compartment,
  EditorSelection,
  EditorState,
  Prec,
  type Extension,
  type StateCommand,
  type Transaction,
} from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { StyleModule } from 'style-mod';
import { blockIndexAt, formatCommand, indentList, insertImage, language, type Format } from './markdown-commands';

/**
 * CodeMirror writes its styles into a <style> element, which the app's Content-Security-Policy
 * (`style-src 'self'`, no 'unsafe-inline') blocks. A constructed stylesheet adopted by the document
 * is not inline markup, so the policy lets it apply: mount CodeMirror's style modules there,
 * in the same order style-mod keeps.
 */
function adoptStyles(): void {
  const sheets = new WeakMap<DocumentOrShadowRoot, { sheet: CSSStyleSheet; modules: StyleModule[] }>();
  const fallback = StyleModule.mount.bind(StyleModule);
  StyleModule.mount = (root, modules, options) => {
    if (!('adoptedStyleSheets' in root) || typeof CSSStyleSheet !== 'function') {
      fallback(root, modules, options);
      return;
    }
    let set = sheets.get(root);
    if (!set) {
      set = { sheet: new CSSStyleSheet(), modules: [] };
      sheets.set(root, set);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, set.sheet];
    }
    let changed = false;
    let at = 0;
    const list: readonly StyleModule[] = modules instanceof StyleModule ? [modules] : modules;
    for (const module of list) {
      let index = set.modules.indexOf(module);
      if (index > -1 && index < at) {
        set.modules.splice(index, 1);
        at--;
        index = -1;
      }
      if (index === -1) {
        set.modules.splice(at++, 0, module);
        changed = true;
      } else at = index + 1;
    }
    if (changed) set.sheet.replaceSync(set.modules.map((module) => module.getRules()).join('\n'));
  };
}
let stylesAdopted = false;

/** Colours come from the page's CSS (light and dark), through the classes Tailwind generates. */
const highlight = HighlightStyle.define([
  { tag: tags.heading, class: 'font-bold text-zinc-950 dark:text-white' },
  { tag: tags.strong, class: 'font-bold' },
  { tag: tags.emphasis, class: 'italic' },
  { tag: tags.strikethrough, class: 'line-through' },
  { tag: [tags.link, tags.url], class: 'text-brand-700 dark:text-brand-300' },
  { tag: tags.monospace, class: 'text-rose-800 dark:text-rose-300' },
  { tag: [tags.processingInstruction, tags.contentSeparator, tags.quote], class: 'text-zinc-600 dark:text-zinc-400' },
]);

const theme = EditorView.theme({
  '&': { minHeight: '20rem', fontSize: '1rem' },
  '&.cm-focused': { outline: 'none' }, // the frame around the editor shows the focus
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.625', minHeight: '20rem' },
  '.cm-content': { padding: '0.75rem', caretColor: 'currentColor !important' },
  '.cm-line': { padding: '0' },
  '.cm-placeholder': { color: 'var(--md-editor-placeholder) !important' },
});

export interface EditorOptions {
  readonly parent: HTMLElement;
  readonly doc: string;
  /** aria-labelledby, aria-describedby, aria-invalid and the like, for the editable area. */
  readonly attributes: Record<string, string>;
  readonly placeholder: string;
  readonly onChange: (doc: string) => void;
  /** The rendered block the cursor is in (see blockIndexAt), for the preview to follow. */
  readonly onCursor: (block: number) => void;
  readonly onSubmit: () => void;
}

export interface MarkdownEditor {
  readonly view: EditorView;
  apply(format: Format): void;
  insertImage(url: string, alt: string): void;
  /** Replaces the whole text (a discarded draft), unless it is already that. */
  setDoc(doc: string): void;
  setAttributes(attributes: Record<string, string>): void;
  focus(): void;
  destroy(): void;
}

/**
 * Enter continues a list or a quote; on an empty item it ends the list at once, a blank line after
 * it (CodeMirror's default first turns a tight list into a loose one, which writers do not expect).
 */
const continueMarkup = insertNewlineContinueMarkupCommand({ nonTightLists: false });

/** A line that is only a list marker or a quote's `>`: Enter on it ends the list or the quote. */
const EMPTY_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)]|>)(?:[ \t]+\[[ xX]\])?[ \t]*$/;

/**
 * Enter as lang-markdown continues the markup, except that ending a list or a quote leaves a blank
 * line after it: the paragraph typed next is not glued onto the last item (a lazy continuation).
 */
const continueOrEndMarkup: StateCommand = ({ state, dispatch }) => {
  const made: Transaction[] = [];
  if (!continueMarkup({ state, dispatch: (next) => made.push(next) })) return false;
  const done = made[0];
  if (!done) return true;
  const was = state.doc.lineAt(state.selection.main.head);
  const head = done.state.selection.main.head;
  const line = done.state.doc.lineAt(head);
  const ended =
    state.selection.ranges.length === 1 &&
    EMPTY_ITEM.test(was.text) &&
    line.text === '' &&
    line.number > 1 &&
    done.state.doc.line(line.number - 1).text.trim() !== '';
  if (!ended) {
    dispatch(done);
    return true;
  }
  const blank = done.state.changes({ from: line.from, insert: '\n' });
  dispatch(
    state.update({
      changes: done.changes.compose(blank),
      selection: EditorSelection.cursor(head + 1),
      scrollIntoView: true,
      userEvent: 'input',
    }),
  );
  return true;
};

export const listKeys = [
  { key: 'Enter', run: continueOrEndMarkup },
  { key: 'Backspace', run: deleteMarkupBackward },
];

export function createMarkdownEditor(options: EditorOptions): MarkdownEditor {
  if (!stylesAdopted) {
    adoptStyles();
    stylesAdopted = true;
  }
  const attributes = new Compartment();
  const contentAttributes = (extra: Record<string, string>) =>
    EditorView.contentAttributes.of({ spellcheck: 'true', autocapitalize: 'sentences', ...extra });
  let block = -1;

  const shortcuts = keymap.of([
    { key: 'Mod-b', run: (v) => formatCommand('bold')(v) },
    { key: 'Mod-i', run: (v) => formatCommand('italic')(v) },
    { key: 'Mod-k', run: (v) => formatCommand('link')(v) },
    { key: 'Mod-e', run: (v) => formatCommand('code')(v) },
    { key: 'Mod-Enter', run: () => (options.onSubmit(), true) },
    { key: 'Tab', run: (v) => indentList(1)(v) || indentMore(v), shift: (v) => indentList(-1)(v) || indentLess(v) },
  ]);

  const extensions: Extension[] = [
    history(),
    language,
    syntaxHighlighting(highlight),
    EditorView.lineWrapping,
    EditorState.tabSize.of(4),
    placeholder(options.placeholder),
    theme,
    attributes.of(contentAttributes(options.attributes)),
    // Enter and Backspace continue and end lists before the default keys see them.
    Prec.high(keymap.of(listKeys)),
    shortcuts,
    keymap.of([...defaultKeymap, ...historyKeymap]),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) options.onChange(update.state.doc.toString());
      if (update.docChanged || update.selectionSet) {
        const now = blockIndexAt(update.state, update.state.selection.main.head);
        if (now !== block) options.onCursor((block = now));
      }
    }),
  ];

  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({ doc: options.doc, extensions }),
  });

  return {
    view,
    apply: (format) => {
      formatCommand(format)(view);
      view.focus();
    },
    insertImage: (url, alt) => {
      insertImage(url, alt)(view);
      view.focus();
    },
    setDoc: (doc) => {
      if (doc === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc } });
    },
    setAttributes: (next) => {
      view.dispatch({ effects: attributes.reconfigure(contentAttributes(next)) });
    },
    focus: () => {
      view.focus();
    },
    destroy: () => {
      view.destroy();
    },
  };
}
