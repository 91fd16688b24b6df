import { Inject, Injectable } from '@nestjs/common';
import { RENDERER_VERSION, type Rendered, type RenderOptions, renderMarkdownBatch } from '@nuell/native';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';

export type { Rendered };

/**
 * Where the site will serve public media (uploads): the one path of the site's own host that
 * images in posts may load from. Everything else there would be a request in the reader's name.
 */
export const PUBLIC_MEDIA_PATH = '/media/';

/**
 * The one door to the content engine (@nuell/native): Markdown in, sanitised HTML and text
 * statistics out. Rendering runs on libuv's worker threads, never on the event loop. The API and
 * the control panel go through this service and nothing else calls the native package. Posts are
 * rendered for the site at PUBLIC_URL, so their images cannot call it (see PUBLIC_MEDIA_PATH).
 */
@Injectable()
export class ContentService {
  /** Changes whenever the output for the same input can change; stored with every post. */
  readonly version: number = RENDERER_VERSION;
  private readonly options: RenderOptions;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'publicUrl'>) {
    this.options = { siteUrl: config.publicUrl, mediaPath: PUBLIC_MEDIA_PATH };
  }

  async render(markdown: string): Promise<Rendered> {
    const [rendered] = await renderMarkdownBatch([markdown], this.options);
    if (!rendered) throw new Error('the content engine returned nothing');
    return rendered;
  }

  renderMany(markdown: readonly string[]): Promise<Rendered[]> {
    return renderMarkdownBatch(markdown, this.options);
  }
}
