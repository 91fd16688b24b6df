import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { validated } from '../http/validation.js';
import type { User } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { AccountChangeRefused } from './account-errors.js';
import { AccountChanges } from './dto/account.dto.js';
import { EmailedLinks } from './emailed-links.js';
import { SessionsRepository } from './sessions.repository.js';

/**
 * What operators do to accounts from the control panel: ban and reinstate, edit, delete, sign out
 * everywhere, end one session, mark an address verified, send a reset link. Each change and its
 * audit entry, with the operator as the actor, commit together. Operators can never ban, demote or
 * delete themselves or the last active admin, so the service always keeps someone who can run it.
 */
@Injectable()
export class OperatorAccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditRepository,
    private readonly links: EmailedLinks,
  ) {}

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
      await this.audit.record(
        'password_reset_sent',
        { actorId, target: { type: 'user', id: userId }, data: { email: user.email } },
        manager,
      );
      await this.links.send(user, 'password_reset', user.email, manager);
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
