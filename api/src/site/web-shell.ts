import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Shell } from './shell.js';

/** The repository's root (the image's /app): api/src/site or api/dist/site, three levels up. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** How long nuxt dev may take to hand over its page before the request gives up. */
const DEV_SHELL_TIMEOUT_MS = 10_000;

export class ShellUnavailable extends Error {
  constructor(where: string, cause: unknown) {
    super(`the web app's page is not available from ${where}`, { cause });
  }
}

/**
 * Where the page comes from (WEB_SHELL). A file, the built app's, is read once at start: it is
 * part of the release and never changes under a running process. A URL (nuxt dev, which builds
 * its page on the fly) is fetched for every request, so the page follows the source.
 */
@Injectable()
export class WebShell implements OnModuleInit {
  private readonly logger = new Logger(WebShell.name);
  private readonly url: string | undefined;
  private readonly file: string;
  private shell: Shell | undefined;
  private failure: ShellUnavailable | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.url = /^https?:\/\//.test(config.webShell) ? config.webShell : undefined;
    this.file = isAbsolute(config.webShell) ? config.webShell : resolve(ROOT, config.webShell);
  }

  async onModuleInit(): Promise<void> {
    if (this.url) return;
    try {
      this.shell = new Shell(await readFile(this.file, 'utf8'));
    } catch (error) {
      // The API still serves everything else; the public pages answer 503 and say why.
      this.failure = new ShellUnavailable(this.file, error);
      this.logger.error({ err: error }, `${this.failure.message}: build the web app (npm run build)`);
    }
  }

  async current(): Promise<Shell> {
    if (!this.url) {
      if (this.shell) return this.shell;
      throw this.failure ?? new ShellUnavailable(this.file, undefined);
    }
    try {
      const answer = await fetch(this.url, { signal: AbortSignal.timeout(DEV_SHELL_TIMEOUT_MS) });
      if (!answer.ok) throw new Error(`it answered ${answer.status}`);
      return new Shell(await answer.text());
    } catch (error) {
      throw new ShellUnavailable(this.url, error);
    }
  }
}
