import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { ValidationProblem } from '../http/problem.js';
import { MailService } from '../mail/mail.service.js';
import { templates } from '../mail/templates.js';
import type { Principal } from '../policy/access.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { assertPasswordPolicy } from '../users/password-policy.js';
import type { User } from '../users/user.entity.js';
import { EmailTaken, UsersRepository } from '../users/users.repository.js';
import { AccountTokensRepository } from './account-tokens.repository.js';
import { describeDevice } from './device.js';
import type { SessionDto } from './dto/account.dto.js';
import { SessionsRepository } from './sessions.repository.js';

const wrongPassword = (field: string) =>
  new ValidationProblem([{ field, pointer: `/${field}`, detail: `${field} is incorrect` }]);

/**
 * What combines an account with its password, e-mailed tokens and sessions: changing the password
 * or the address, listing and ending sessions, and banning (for the control panel). Each change,
 * its audit entry and its e-mails commit together.
 */
@Injectable()
export class AccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsRepository,
    private readonly accountTokens: AccountTokensRepository,
    private readonly audit: AuditRepository,
    private readonly mail: MailService,
  ) {}

  private async withPassword(userId: string, password: string, field: string): Promise<User> {
    const user = await this.users.findByIdWithHash(userId);
    if (!user || !(await this.hasher.verify(user.passwordHash, password))) throw wrongPassword(field);
    return user;
  }

  /** Changes the password and ends every other session; the current one stays signed in. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.withPassword(principal.userId, currentPassword, 'currentPassword');
    assertPasswordPolicy(newPassword, user, 'newPassword');
    const passwordHash = await this.hasher.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      await this.users.setPasswordHash(user.id, passwordHash, manager);
      const revoked = await this.sessions.revokeAllForUser(user.id, { exceptFamilyId: principal.sessionId, manager });
      await this.audit.record(
        'password_changed',
        { actorId: user.id, target: { type: 'user', id: user.id }, data: { revokedSessions: revoked } },
        manager,
      );
      await this.mail.send(user.email, templates.passwordChanged(user.displayName), manager);
    });
  }

  /** Starts an address change: the new address must confirm; the old one is told. */
  async requestEmailChange(principal: Principal, newEmail: string, password: string): Promise<void> {
    const user = await this.withPassword(principal.userId, password, 'password');
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
      const token = await this.accountTokens.issue(manager, user.id, 'email_change', newEmail);
      const link = this.mail.link('/verify-email', token);
      await this.mail.send(newEmail, templates.emailChangeConfirm(user.displayName, link), manager);
      await this.mail.send(user.email, templates.emailChangeNotice(user.displayName, newEmail), manager);
    });
  }

  async listSessions(principal: Principal): Promise<SessionDto[]> {
    return (await this.sessions.liveForUser(principal.userId)).map((session) => ({
      id: session.familyId,
      device: describeDevice(session.userAgent),
      userAgent: session.userAgent,
      ip: session.ip,
      createdAt: session.startedAt.toISOString(),
      lastUsedAt: session.lastUsedAt.toISOString(),
      current: session.familyId === principal.sessionId,
    }));
  }

  async endSession(principal: Principal, sessionId: string): Promise<void> {
    const ended = await this.sessions.revokeFamily(sessionId, { userId: principal.userId });
    if (ended === 0) throw new NotFoundException('No such session.');
  }

  endOtherSessions(principal: Principal): Promise<number> {
    return this.sessions.revokeAllForUser(principal.userId, { exceptFamilyId: principal.sessionId });
  }

  /**
   * Deletes the account for good once its password is confirmed: its posts, sessions and e-mailed
   * tokens go with it, so every token it held stops working at once. The audit entry keeps the id
   * and the counts, not the address; a notice goes to the address.
   */
  async deleteAccount(principal: Principal, currentPassword: string): Promise<void> {
    const user = await this.withPassword(principal.userId, currentPassword, 'currentPassword');
    const profile = await this.users.findPublicProfile(user.id);
    await this.dataSource.transaction(async (manager) => {
      const endedSessions = await this.sessions.revokeAllForUser(user.id, { manager });
      await this.users.delete(user.id, manager);
      await this.audit.record(
        'account_deleted',
        {
          actorId: user.id,
          target: { type: 'user', id: user.id },
          data: { deletedPosts: profile?.postCount ?? 0, endedSessions },
        },
        manager,
      );
      await this.mail.send(user.email, templates.accountDeleted(user.displayName), manager);
    });
  }

  /**
   * Bans an account (`isActive` false): its sessions end in the same transaction, so it is refused
   * on its very next request and cannot refresh; or reinstates it (it signs in again). Audited with
   * who did it; nothing happens if the account is already in that state.
   */
  async setActive(actorId: string | null, userId: string, isActive: boolean): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.users.setActive(userId, isActive, manager))) return;
      const revokedSessions = isActive ? 0 : await this.sessions.revokeAllForUser(userId, { manager });
      await this.audit.record(
        isActive ? 'user_unbanned' : 'user_banned',
        { actorId, target: { type: 'user', id: userId }, data: isActive ? {} : { revokedSessions } },
        manager,
      );
    });
  }
}
