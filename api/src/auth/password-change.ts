/**
 * Putting a new password in place, the one way both flows that do it share: a change with the
 * current password and a reset from an e-mailed link. Whoever held the old password must lose
 * everything it gave them: every session ends (the control panel's too) but the one making the
 * change, if any, and every e-mailed link still pending is voided. Audited, and the owner told.
 */
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { ValidationProblem } from '../http/problem.js';
import { MailService } from '../mail/mail.service.js';
import { templates } from '../mail/templates.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { assertPasswordPolicy, samePasswordDetail } from '../users/password-policy.js';
import type { User } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { AccountTokensRepository } from './account-tokens.repository.js';
import { SessionsRepository } from './sessions.repository.js';

@Injectable()
export class PasswordChange {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly tokens: AccountTokensRepository,
    private readonly audit: AuditRepository,
    private readonly mail: MailService,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * The hash of `password` once it meets the rules and differs from the password it replaces,
   * which only the stored hash can tell for a reset: a "new" password that is the old one would
   * end every session and void every link while changing nothing. `field` names it in a refusal.
   */
  async hashNew(
    user: Pick<User, 'email' | 'displayName' | 'passwordHash'>,
    password: string,
    field: string,
  ): Promise<string> {
    assertPasswordPolicy(password, user, field);
    if (await this.hasher.verify(user.passwordHash, password)) {
      throw new ValidationProblem([{ field, pointer: `/${field}`, detail: samePasswordDetail(field) }]);
    }
    return this.hasher.hash(password);
  }

  /** Stores `passwordHash` for the account within the caller's transaction; `keptSessionId` stays signed in. */
  async apply(
    user: Pick<User, 'id' | 'email' | 'displayName'>,
    passwordHash: string,
    change: { readonly action: 'password_changed' | 'password_reset'; readonly keptSessionId: string | null },
    manager: EntityManager,
  ): Promise<void> {
    await this.users.changePasswordHash(user.id, passwordHash, manager);
    const revokedSessions = await this.sessions.revokeAllForUser(user.id, change.keptSessionId, manager);
    const voidedLinks = await this.tokens.voidAll(user.id, manager);
    await this.audit.record(
      change.action,
      { actorId: user.id, target: { type: 'user', id: user.id }, data: { revokedSessions, voidedLinks } },
      manager,
    );
    await this.mail.send(user.email, templates.passwordChanged(user.displayName), manager);
  }
}
