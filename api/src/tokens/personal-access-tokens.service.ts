/**
 * Personal access tokens: a user mints one for a script, limited to some API scopes and
 * (usually) to a number of days, sees the list, and revokes what they no longer use; an operator
 * can list and revoke them too (the control panel). The token is answered once, stored only as
 * its SHA-256; the guard (auth/auth.guard.ts) checks it on every request.
 */
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { hashToken } from '../auth/opaque-token.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailService } from '../mail/mail.service.js';
import { templates } from '../mail/templates.js';
import { type ApiScope, SCOPES } from '../policy/scopes.js';
import { UsersRepository } from '../users/users.repository.js';
import {
  type CreatedPersonalAccessTokenDto,
  type PersonalAccessTokenDto,
  toPersonalAccessTokenDto,
} from './dto/personal-access-tokens.dto.js';
import { PersonalAccessTokensRepository } from './personal-access-tokens.repository.js';
import { lastFourOf, newPersonalAccessToken, PAT_PREFIX } from './token-format.js';

/**
 * Live tokens an account may hold at once: plenty for every script a person runs, and a bound on
 * what a hijacked session can scatter before the owner notices the e-mails.
 */
export const LIVE_TOKENS_MAX = 50;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface NewPersonalAccessToken {
  readonly name: string;
  readonly scopes: readonly ApiScope[];
  /** null: never expires. */
  readonly expiresInDays: number | null;
}

/** What a token's scopes let its holder do, as the e-mail says it: "read your profile; change …". */
const abilitiesOf = (scopes: readonly ApiScope[]) =>
  scopes.map((scope) => SCOPES[scope].charAt(0).toLowerCase() + SCOPES[scope].slice(1)).join('; ');

@Injectable()
export class PersonalAccessTokensService {
  private readonly settingsUrl: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: PersonalAccessTokensRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.settingsUrl = new URL('/settings#tokens', config.publicUrl).href;
  }

  /** The account's tokens, expired ones included, newest first. */
  async list(userId: string): Promise<PersonalAccessTokenDto[]> {
    return (await this.tokens.listForUser(userId)).map(toPersonalAccessTokenDto);
  }

  /** Mints a token for the account; audited, and the owner is told by e-mail. 409 past LIVE_TOKENS_MAX. */
  async create(userId: string, input: NewPersonalAccessToken): Promise<CreatedPersonalAccessTokenDto> {
    const token = newPersonalAccessToken();
    const expiresAt = input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * DAY_MS);
    const saved = await this.dataSource.transaction(async (manager) => {
      // The account's row is the lock: two creations at once cannot both squeeze under the limit.
      await manager.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
      if ((await this.tokens.countLive(userId, manager)) >= LIVE_TOKENS_MAX) {
        throw new ConflictException(
          `You have ${LIVE_TOKENS_MAX} tokens already, the most an account may hold. Revoke one you no longer use first.`,
        );
      }
      const user = await this.users.getById(userId, manager);
      const row = await this.tokens.insert(
        {
          userId,
          name: input.name,
          scopes: [...input.scopes],
          tokenHash: hashToken(token),
          prefix: PAT_PREFIX,
          last4: lastFourOf(token),
          expiresAt,
        },
        manager,
      );
      await this.audit.record(
        'token_created',
        {
          actorId: userId,
          target: { type: 'user', id: userId },
          data: { token: row.id, name: row.name, scopes: row.scopes, expiresAt: expiresAt?.toISOString() ?? null },
        },
        manager,
      );
      await this.mail.send(
        user.email,
        templates.tokenCreated(user.displayName, row.name, abilitiesOf(row.scopes), expiresAt, this.settingsUrl),
        manager,
      );
      return row;
    });
    return Object.assign(toPersonalAccessTokenDto(saved), { token });
  }

  /**
   * The owner revokes one of their tokens: it is refused from the next request on. 404 when the
   * account has no such token (or it was revoked already).
   */
  async revoke(userId: string, id: string): Promise<void> {
    await this.revoked(id, userId, userId);
  }

  /**
   * An operator revokes a token of any account (the control panel: a leaked token, a script gone
   * wrong); audited with the operator as the actor. 404 when no token of that id is unrevoked.
   */
  async revokeAsOperator(actorId: string, id: string): Promise<void> {
    await this.revoked(id, null, actorId);
  }

  private async revoked(id: string, ownerId: string | null, actorId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const token = await this.tokens.revoke(id, ownerId, manager);
      if (!token)
        throw new NotFoundException(ownerId ? 'No such token of yours.' : 'No such token, or it was revoked already.');
      await this.audit.record(
        'token_revoked',
        { actorId, target: { type: 'user', id: token.userId }, data: { token: token.id, name: token.name } },
        manager,
      );
    });
  }
}
