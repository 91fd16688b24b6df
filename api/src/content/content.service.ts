import { Injectable } from '@nestjs/common';
import { RENDERER_VERSION, type Rendered, renderMarkdownBatch } from '@nuell/native';

export type { Rendered };

/**
 * The one door to the content engine (@nuell/native): Markdown in, sanitised HTML and text
 * statistics out. Rendering runs on libuv's worker threads, never on the event loop. The API and
 * the control panel go through this service and nothing else calls the native package.
 */
@Injectable()
export class ContentService {
  /** Changes whenever the output for the same input can change; stored with every post. */
  readonly version: number = RENDERER_VERSION;

  async render(markdown: string): Promise<Rendered> {
    const [rendered] = await renderMarkdownBatch([markdown]);
    if (!rendered) throw new Error('the content engine returned nothing');
    return rendered;
  }

  renderMany(markdown: readonly string[]): Promise<Rendered[]> {
    return renderMarkdownBatch(markdown);
  }
}
