import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { Email } from './templates.js';

/** Waits before each retry: a flaky SMTP server gets about 45 minutes to come back. */
export const RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000];

interface Pending {
  readonly to: string;
  readonly email: Email;
  attempt: number;
  timer?: NodeJS.Timeout;
}

/**
 * Sends e-mail outside the request path. `send` only queues: callers commit their change first,
 * then queue, so the HTTP answer never waits for or depends on SMTP. Failed sends are retried with
 * back-off; what still fails is logged (without the message body, which holds tokens).
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailService.name);
  private readonly transport: Transporter;
  private readonly pending = new Set<Pending>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = nodemailer.createTransport(config.mail.smtpUrl);
  }

  /**
   * A link into the web app that carries an e-mailed token. Built from PUBLIC_URL, never from the
   * request, so a forged Host header cannot point a reset link elsewhere.
   */
  link(path: '/verify-email' | '/reset-password', token: string): string {
    return `${this.config.publicUrl}${path}?token=${encodeURIComponent(token)}`;
  }

  send(to: string, email: Email): void {
    const item: Pending = { to, email, attempt: 0 };
    this.pending.add(item);
    setImmediate(() => void this.attempt(item));
  }

  private async attempt(item: Pending): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.config.mail.from,
        to: item.to,
        subject: item.email.subject,
        text: item.email.text,
        html: item.email.html,
      });
      this.pending.delete(item);
    } catch (error) {
      const delay = RETRY_DELAYS_MS[item.attempt];
      item.attempt += 1;
      if (delay === undefined) {
        this.pending.delete(item);
        this.logger.error({ err: error, subject: item.email.subject }, 'e-mail dropped after all retries');
        return;
      }
      this.logger.warn({ err: error, subject: item.email.subject, retryInMs: delay }, 'e-mail not sent; will retry');
      item.timer = setTimeout(() => void this.attempt(item), delay);
      item.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    for (const item of this.pending) clearTimeout(item.timer);
    if (this.pending.size > 0) this.logger.warn({ count: this.pending.size }, 'unsent e-mails dropped at shutdown');
    this.pending.clear();
    this.transport.close();
  }
}
