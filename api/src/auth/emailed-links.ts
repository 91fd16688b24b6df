/**
 * E-mailing a link that carries a fresh single-use token: the step every flow that asks someone to
 * confirm something shares (sign-up, a verification sent again, a forgotten password, an
 * operator's reset link, an address change). The token is issued and the e-mail queued in one
 * transaction, the caller's when it passes one, so the link exists exactly when the change that
 * asks for it commits.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { MailService } from '../mail/mail.service.js';
import { type Email, templates } from '../mail/templates.js';
import type { User } from '../users/user.entity.js';
import type { AccountTokenPurpose } from './account-token.entity.js';
import { AccountTokensRepository } from './account-tokens.repository.js';

/** Where each purpose's link opens the web app, and the e-mail that carries it. */
const LINKS: Record<
  AccountTokenPurpose,
  { readonly path: '/verify-email' | '/reset-password'; readonly email: (name: string, url: string) => Email }
> = {
  email_verify: { path: '/verify-email', email: templates.verifyEmail },
  email_change: { path: '/verify-email', email: templates.emailChangeConfirm },
  password_reset: { path: '/reset-password', email: templates.passwordReset },
};

@Injectable()
export class EmailedLinks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: AccountTokensRepository,
    private readonly mail: MailService,
  ) {}

  /**
   * Sends the account a link for `purpose` at `to`: its own address, or the new one an address
   * change must confirm. A token that confirms an address records which; a reset token records
   * none. Only the latest link of a purpose works. `email` words the message when the purpose's
   * usual one does not fit (an operator's correction of the address asks to confirm it too).
   */
  async send(
    user: Pick<User, 'id' | 'displayName'>,
    purpose: AccountTokenPurpose,
    to: string,
    manager?: EntityManager,
    email: (name: string, url: string) => Email = LINKS[purpose].email,
  ): Promise<void> {
    if (!manager) return this.dataSource.transaction((own) => this.send(user, purpose, to, own, email));
    const token = await this.tokens.issue(user.id, purpose, purpose === 'password_reset' ? null : to, manager);
    await this.mail.send(to, email(user.displayName, this.mail.link(LINKS[purpose].path, token)), manager);
  }
}
