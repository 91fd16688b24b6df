import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { ValidationProblem } from '../http/problem.js';
import { validated } from '../http/validation.js';
import { MailService } from '../mail/mail.service.js';
import { templates } from '../mail/templates.js';
import type { Principal } from '../policy/access.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { assertPasswordPolicy } from '../users/password-policy.js';
import type { User } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { EmailTaken } from './account-errors.js';
import { AccountTokensRepository } from './account-tokens.repository.js';
import { AccountChanges, type SessionDto, toSessionDto } from './dto/account.dto.js';
import { SessionsRepository } from './sessions.repository.js';

/** An operator's change that would lock operators out, or that does not apply to the account. */
export class AccountChangeRefused extends ConflictException {}

const wrongPassword = (field: string) =>
  new ValidationProblem([{ field, pointer: `/${field}`, detail: `${field} is incorrect` }]);

/**
 * What combines an account with its password, e-mailed tokens and sessions: changing the password
 * or the address, deleting the account, listing and ending sessions, and what operators do to
 * accounts from the control panel (ban, edit, delete, sign out, verify, send a reset link). Each
 * change, its audit entry and its e-mails commit together. Operators can never ban, demote or
 * delete themselves or the last active admin, so the service always keeps someone who can run it.
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

  /**
   * Changes the password, ends every other session (and every control-panel session) and voids
   * every e-mailed link still pending; the current session stays signed in.
   */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.withPassword(principal.userId, currentPassword, 'currentPassword');
    assertPasswordPolicy(newPassword, user, 'newPassword');
    const passwordHash = await this.hasher.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      await this.users.changePasswordHash(user.id, passwordHash, manager);
      const revoked = await this.sessions.revokeAllForUser(user.id, principal.sessionId, manager);
      const voidedLinks = await this.accountTokens.voidAll(user.id, manager);
      await this.audit.record(
        'password_changed',
        { actorId: user.id, target: { type: 'user', id: user.id }, data: { revokedSessions: revoked, voidedLinks } },
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
      const token = await this.accountTokens.issue(user.id, 'email_change', newEmail, manager);
      const link = this.mail.link('/verify-email', token);
      await this.mail.send(newEmail, templates.emailChangeConfirm(user.displayName, link), manager);
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

  /** The account, or 404. */
  private async account(userId: string, manager: EntityManager): Promise<User> {
    const user = await this.users.findById(userId, manager);
    if (!user) throw new NotFoundException('No such account.');
    return user;
  }

  /**
   * Refuses to ban, demote or delete yourself, or the last active admin. Locks the active admins
   * first, so that two operators acting on each other at once cannot both succeed.
   */
  private async assertKeepsAnOperator(
    manager: EntityManager,
    actorId: string | null,
    userId: string,
    verb: 'ban' | 'demote' | 'delete',
  ): Promise<User> {
    const admins = await this.users.lockActiveAdmins(manager);
    const user = await this.account(userId, manager);
    if (actorId !== null && actorId === userId) throw new AccountChangeRefused(`You cannot ${verb} yourself.`);
    if (admins.includes(userId) && admins.length === 1) {
      throw new AccountChangeRefused(
        `${user.email} is the last active admin: make another account an admin before you ${verb} it.`,
      );
    }
    return user;
  }

  /**
   * The signed-in user deletes their own account, once its password is confirmed: its posts,
   * sessions and e-mailed tokens go with it, so every token it held stops working at once. The
   * audit entry keeps the id and the counts, not the address; a notice goes to the address. The
   * last active admin cannot leave the service without one.
   */
  async deleteOwnAccount(principal: Principal, currentPassword: string): Promise<void> {
    const user = await this.withPassword(principal.userId, currentPassword, 'currentPassword');
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

  /**
   * Bans an account (`isActive` false): its sessions end in the same transaction, so it is refused
   * on its very next request and cannot refresh; or reinstates it (it signs in again). Audited with
   * who did it; nothing happens if the account is already in that state.
   */
  async setActive(actorId: string | null, userId: string, isActive: boolean): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!isActive) await this.assertKeepsAnOperator(manager, actorId, userId, 'ban');
      if (!(await this.users.setActive(userId, isActive, manager))) return;
      const revokedSessions = isActive ? 0 : await this.sessions.revokeAllForUser(userId, null, manager);
      await this.audit.record(
        isActive ? 'user_unbanned' : 'user_banned',
        { actorId, target: { type: 'user', id: userId }, data: isActive ? {} : { revokedSessions } },
        manager,
      );
    });
  }

  /**
   * An operator changes an account's display name or role (by the same rules as everywhere). A
   * demotion applies to the account's next request, since every request reads the role afresh.
   * Audited with the fields before and after; returns the account as it is now.
   */
  async updateAccount(
    actorId: string,
    userId: string,
    input: { displayName?: unknown; role?: unknown },
  ): Promise<User> {
    const changes = await validated(AccountChanges, input);
    return this.dataSource.transaction(async (manager) => {
      const user =
        changes.role === 'user'
          ? await this.assertKeepsAnOperator(manager, actorId, userId, 'demote')
          : await this.account(userId, manager);
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const field of ['displayName', 'role'] as const) {
        const value = changes[field];
        if (value === undefined || (value as unknown) === null || value === user[field]) continue;
        before[field] = user[field];
        after[field] = value;
      }
      if (Object.keys(after).length === 0) return user;
      Object.assign(user, after);
      const saved = await this.users.save(user, manager);
      await this.audit.record(
        'user_updated',
        { actorId, target: { type: 'user', id: userId }, data: { before, after } },
        manager,
      );
      return saved;
    });
  }

  /** Ends every session of an account now: its refresh tokens stop working and so do its access tokens. */
  async signOutEverywhere(actorId: string, userId: string): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await this.account(userId, manager);
      const revokedSessions = await this.sessions.revokeAllForUser(userId, null, manager);
      await this.audit.record(
        'sessions_revoked',
        { actorId, target: { type: 'user', id: userId }, data: { revokedSessions } },
        manager,
      );
      return revokedSessions;
    });
  }

  /** Ends one session (a sign-in and its refreshes) of whichever account it belongs to. */
  async revokeSession(actorId: string, familyId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const userId = await this.sessions.ownerOfFamily(familyId, manager);
      if (userId === undefined) throw new NotFoundException('No such session.');
      const revoked = await this.sessions.revokeFamily(familyId, null, manager);
      if (revoked === 0) throw new AccountChangeRefused('This session has already ended.');
      await this.audit.record(
        'session_revoked',
        { actorId, target: { type: 'session', id: familyId }, data: { userId } },
        manager,
      );
    });
  }

  /** Marks the address verified, as if its owner had followed the link (an operator vouches for it). */
  async markEmailVerified(actorId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.account(userId, manager);
      if (!(await this.users.markVerified(userId, manager))) {
        throw new AccountChangeRefused(`${user.email} is already verified.`);
      }
      await this.audit.record(
        'email_marked_verified',
        { actorId, target: { type: 'user', id: userId }, data: { email: user.email } },
        manager,
      );
    });
  }

  /** E-mails the account a password reset link, as "forgot password" would; banned accounts get none. */
  async sendPasswordReset(actorId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.account(userId, manager);
      if (!user.isActive)
        throw new AccountChangeRefused('This account is banned: unban it before sending a reset link.');
      const token = await this.accountTokens.issue(user.id, 'password_reset', null, manager);
      await this.audit.record(
        'password_reset_sent',
        { actorId, target: { type: 'user', id: userId }, data: { email: user.email } },
        manager,
      );
      const link = this.mail.link('/reset-password', token);
      await this.mail.send(user.email, templates.passwordReset(user.displayName, link), manager);
    });
  }

  /**
   * Deletes an account for good: its posts, sessions and e-mailed tokens go with it. The audit
   * entry keeps who it was (the audit log has no foreign keys, so it outlives the account).
   */
  async deleteAccount(actorId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.assertKeepsAnOperator(manager, actorId, userId, 'delete');
      await this.users.delete(userId, manager);
      await this.audit.record(
        'user_deleted',
        {
          actorId,
          target: { type: 'user', id: userId },
          data: { before: { email: user.email, displayName: user.displayName, role: user.role } },
        },
        manager,
      );
    });
  }
}
