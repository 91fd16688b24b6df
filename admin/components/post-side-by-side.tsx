/**
 * A post's Markdown beside what readers see. The rendered HTML is already sanitised by the
 * content engine; it is still shown in a sandboxed frame (no scripts, no same-origin access), so
 * even a sanitiser bug could not act inside the panel.
 */
import React from 'react';
import type { RecordJSON, ShowPropertyProps } from 'adminjs';
import { borders, colors } from '@adminjs/design-system';
import type { PostSideBySideParams } from '../src/component-props.js';

/** AdminJS's show props, on a post's record. */
type PostSideBySideProps = ShowPropertyProps & {
  readonly record: Omit<RecordJSON, 'params'> & { readonly params: PostSideBySideParams };
};

const pane: React.CSSProperties = { border: borders.default, borderRadius: 6, padding: 12, minHeight: 300 };

export default function PostSideBySide({ record }: PostSideBySideProps) {
  const { content: markdown, contentHtml: html } = record.params;
  const page = `<!doctype html><meta charset="utf-8"><style>body{font-family:system-ui,sans-serif;line-height:1.5;margin:0}img{max-width:100%}</style>${html}`;
  return (
    <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 16, marginBottom: 24 }}>
      <section>
        <h3 style={{ fontWeight: 600, marginBottom: 8 }}>Markdown</h3>
        <pre style={{ ...pane, whiteSpace: 'pre-wrap', wordBreak: 'break-word', margin: 0 }} data-pane="markdown">
          {markdown}
        </pre>
      </section>
      <section>
        <h3 style={{ fontWeight: 600, marginBottom: 8 }}>Rendered (sanitised)</h3>
        <iframe
          sandbox=""
          srcDoc={page}
          title="The post as readers see it"
          style={{ ...pane, width: '100%', height: 400, boxSizing: 'border-box', background: colors.white }}
        />
      </section>
    </div>
  );
}
