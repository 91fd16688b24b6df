import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { ValidationProblem } from '../http/problem.js';
import { MailService } from '../mail/mail.service.js';
import { templates } from '../mail/templates.js';
import type { Principal } from '../policy/access.js';
import { PasswordHasher } from '../users/password-hasher.js';
import type { User } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { AccountChangeRefused, EmailTaken } from './account-errors.js';
import { type SessionDto, toSessionDto } from './dto/account.dto.js';
import { EmailedLinks } from './emailed-links.js';
import { PasswordChange } from './password-change.js';
import { SessionsRepository } from './sessions.repository.js';
import { StepUp } from '../mfa/step-up.js';

const wrongPassword = (field: string) =>
  new ValidationProblem([
    {
      field,
      pointer: `/${field}`,
      detail: field === 'currentPassword' ? 'The current password is incorrect.' : 'The password is incorrect.',
    },
  ]);

/**
 * What signed-in users do to their own account (AccountController, under /users/me): change the
 * password or the address, delete the account, list and end their sessions. Whatever needs more
 * than a valid token asks for the current password again, or for a recent proof of presence
 * (mfa/step-up.ts), so an owner who signed in with a passkey can make them too. Each change, its audit entry and its
 * e-mails commit together.
 */
@Injectable()
export class OwnAccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditRepository,
    private readonly mail: MailService,
    private readonly links: EmailedLinks,
    private readonly passwords: PasswordChange,
    private readonly stepUp: StepUp,
  ) {}

  /**
   * The account, once its owner proved presence: with the password given here, or, when none is
   * given, by a recent step-up of this session (else StepUpRequired).
   */
  private async withPassword(principal: Principal, password: string | undefined, field: string): Promise<User> {
    const user = await this.users.findByIdWithHash(principal.userId);
    if (password === undefined) {
      await this.stepUp.assertRecent(principal.sessionId);
      if (!user) throw wrongPassword(field);
      return user;
    }
    if (!user || !(await this.hasher.verify(user.passwordHash, password))) throw wrongPassword(field);
    return user;
  }

  /**
   * Changes the password, ends every other session (and every control-panel session) and voids
   * every e-mailed link still pending; the current session stays signed in.
   */
  async changePassword(principal: Principal, currentPassword: string | undefined, newPassword: string): Promise<void> {
    const user = await this.withPassword(principal, currentPassword, 'currentPassword');
    const passwordHash = await this.passwords.hashNew(user, newPassword, 'newPassword');
    await this.dataSource.transaction((manager) =>
      this.passwords.apply(
        user,
        passwordHash,
        { action: 'password_changed', keptSessionId: principal.sessionId },
        manager,
      ),
    );
  }

  /** Starts an address change: the new address must confirm; the old one is told. */
  async requestEmailChange(principal: Principal, newEmail: string, password: string | undefined): Promise<void> {
    const user = await this.withPassword(principal, password, 'password');
    if (newEmail.toLowerCase() === user.email.toLowerCase()) {
      throw new ConflictException('This is already your e-mail address.');
    }
    if (await this.users.findByEmail(newEmail)) throw new EmailTaken();
    await this.dataSource.transaction(async (manager) => {
      await this.audit.record(
        'email_change_requested',
        { actorId: user.id, target: { type: 'user', id: user.id }, data: { from: user.email, to: newEmail } },
        manager,
      );
      await this.links.send(user, 'email_change', newEmail, manager);
      await this.mail.send(user.email, templates.emailChangeNotice(user.displayName, newEmail), manager);
    });
  }

  async listSessions(principal: Principal): Promise<SessionDto[]> {
    return (await this.sessions.liveForUser(principal.userId)).map((row) => toSessionDto(row, principal.sessionId));
  }

  async endSession(principal: Principal, sessionId: string): Promise<void> {
    const ended = await this.sessions.revokeFamily(sessionId, principal.userId);
    if (ended === 0) throw new NotFoundException('No such session.');
  }

  endOtherSessions(principal: Principal): Promise<number> {
    return this.sessions.revokeAllForUser(principal.userId, principal.sessionId);
  }

  /**
   * The signed-in user deletes their own account, once its password is confirmed: its posts,
   * sessions and e-mailed tokens go with it, so every token it held stops working at once. The
   * audit entry keeps the id and the counts, not the address; a notice goes to the address. The
   * last active admin cannot leave the service without one.
   */
  async deleteOwnAccount(principal: Principal, currentPassword: string | undefined): Promise<void> {
    const user = await this.withPassword(principal, currentPassword, 'currentPassword');
    const profile = await this.users.findPublicProfile(user.id);
    await this.dataSource.transaction(async (manager) => {
      const admins = await this.users.lockActiveAdmins(manager);
      if (admins.length === 1 && admins[0] === user.id) {
        throw new AccountChangeRefused(
          'You are the last active admin: make another account an admin before you delete yours.',
        );
      }
      const endedSessions = await this.sessions.revokeAllForUser(user.id, null, manager);
      await this.users.delete(user.id, manager);
      await this.audit.record(
        'account_deleted',
        {
          actorId: user.id,
          target: { type: 'user', id: user.id },
          data: { deletedPosts: profile?.posts ?? 0, endedSessions },
        },
        manager,
      );
      await this.mail.send(user.email, templates.accountDeleted(user.displayName), manager);
    });
  }
}
