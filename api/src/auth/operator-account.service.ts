import { HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { validated } from '../http/validation.js';
import { MailService } from '../mail/mail.service.js';
import { templates } from '../mail/templates.js';
import type { User } from '../users/user.entity.js';
import { EmailInUse, UsersRepository } from '../users/users.repository.js';
import { AccountChangeRefused } from './account-errors.js';
import { AccountTokensRepository } from './account-tokens.repository.js';
import { AccountChanges, EmailCorrection } from './dto/account.dto.js';
import { EmailedLinks } from './emailed-links.js';
import { SessionsRepository } from './sessions.repository.js';
import {
  type BulkSuspension,
  type Suspension,
  type SuspensionInput,
  type SuspensionTerms,
  suspensionTerms,
} from './suspension.js';

/**
 * What operators do to accounts from the control panel: suspend and lift a suspension, edit,
 * delete, sign out everywhere, end one session, mark an address verified, send a reset link. Each
 * change and its audit entry, with the operator as the actor, commit together. Operators can never
 * suspend, demote or delete themselves or the last active admin, so the service always keeps
 * someone who can run it.
 */
@Injectable()
export class OperatorAccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditRepository,
    private readonly links: EmailedLinks,
    private readonly mail: MailService,
    private readonly tokens: AccountTokensRepository,
  ) {}

  /** The account, or 404. */
  private async account(userId: string, manager: EntityManager): Promise<User> {
    const user = await this.users.findById(userId, manager);
    if (!user) throw new NotFoundException('No such account.');
    return user;
  }

  /**
   * Refuses to suspend, demote or delete yourself, or the last active admin. Locks the active admins
   * first, so that two operators acting on each other at once cannot both succeed.
   */
  private async assertKeepsAnOperator(
    manager: EntityManager,
    actorId: string | null,
    userId: string,
    verb: 'suspend' | 'demote' | 'delete',
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
   * Suspends an account (`isActive` false) with a reason for operators, an optional end (lifted by
   * itself then) and an optional message its owner reads when signing in. Its sessions end in the
   * same transaction, so it is refused on its very next request and cannot refresh. A suspended
   * account is refused (lift it first): an operator never shortens or rewrites another's
   * suspension by accident, in bulk least of all. Audited `user_suspended` with who did it and
   * what they wrote.
   */
  async suspend(actorId: string | null, userId: string, input: SuspensionInput): Promise<Suspension> {
    const terms = suspensionTerms(input);
    return this.dataSource.transaction((manager) => this.suspendIn(manager, actorId, userId, terms));
  }

  /**
   * Suspends several accounts on the same terms (the panel's bulk action): each in a transaction of
   * its own, so a refusal (yourself, the last admin, an account deleted meanwhile) stops only that
   * one. The terms are checked once, before any account is touched.
   */
  async suspendMany(actorId: string, userIds: readonly string[], input: SuspensionInput): Promise<BulkSuspension> {
    const terms = suspensionTerms(input);
    const result: BulkSuspension = { suspended: [], refused: [] };
    for (const userId of userIds) {
      try {
        await this.dataSource.transaction((manager) => this.suspendIn(manager, actorId, userId, terms));
        result.suspended.push(userId);
      } catch (error) {
        if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
        result.refused.push({ userId, reason: error.message });
      }
    }
    return result;
  }

  private async suspendIn(
    manager: EntityManager,
    actorId: string | null,
    userId: string,
    terms: SuspensionTerms,
  ): Promise<Suspension> {
    const user = await this.assertKeepsAnOperator(manager, actorId, userId, 'suspend');
    const suspension = await this.users.suspend(userId, terms, manager);
    if (!suspension) {
      throw new AccountChangeRefused(`${user.email} is already suspended: lift the suspension first to change it.`);
    }
    const revokedSessions = await this.sessions.revokeAllForUser(userId, null, manager);
    await this.audit.record(
      'user_suspended',
      {
        actorId,
        target: { type: 'user', id: userId },
        data: {
          reason: terms.reason,
          until: terms.until?.toISOString() ?? null,
          message: terms.message,
          revokedSessions,
        },
      },
      manager,
    );
    return suspension;
  }

  /** Lifts a suspension now: the account signs in again (its old sessions stay ended). Audited `user_unsuspended`. */
  async lift(actorId: string | null, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.account(userId, manager);
      if (!(await this.users.lift([userId], { ended: false }, manager)).length) {
        throw new AccountChangeRefused(`${user.email} is not suspended.`);
      }
      await this.audit.record(
        'user_unsuspended',
        { actorId, target: { type: 'user', id: userId }, data: { ended: false } },
        manager,
      );
    });
  }

  /**
   * Lifts the suspensions whose end has come (all of them, or only `userId`'s): the periodic sweep
   * (SuspensionSweep) and a sign-in after the end both call it. Each lift is audited
   * `user_unsuspended` with no actor. Several replicas sweeping at once lift each account once: the
   * update re-checks the row it locks. Returns the ids lifted.
   */
  async liftEnded(userId?: string): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const lifted = await this.users.lift(userId === undefined ? null : [userId], { ended: true }, manager);
      for (const id of lifted) {
        await this.audit.record(
          'user_unsuspended',
          { actorId: null, target: { type: 'user', id }, data: { ended: true } },
          manager,
        );
      }
      return lifted;
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

  /** E-mails the account a password reset link, as "forgot password" would; suspended accounts get none. */
  async sendPasswordReset(actorId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.account(userId, manager);
      if (!user.isActive)
        throw new AccountChangeRefused('This account is suspended: lift the suspension before sending a reset link.');
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

  /**
   * An operator corrects an account's e-mail address (a typo at sign-up, a mailbox its owner has
   * lost), validated as at sign-up and refused when another account has the address. The owner
   * signs in with the new address at once; their sessions carry on. The new address is not taken
   * as verified: the operator has not proven the mailbox, and a mistyped correction must not vouch
   * for someone else's. So it gets a confirmation link, the old address a notice saying where the
   * account went, and links still pending (a reset link in the old mailbox) stop working. An
   * address that differs only in case is the same mailbox: it stays verified and nobody is
   * e-mailed. Audited `email_corrected` with the address before and after.
   */
  async correctEmail(actorId: string, userId: string, input: { email?: unknown }): Promise<User> {
    const { email } = await validated(EmailCorrection, input);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.account(userId, manager);
      const before = user.email;
      if (email === before) throw new AccountChangeRefused(`${before} is already the address of this account.`);
      const taken = () =>
        new AccountChangeRefused(`Another account already uses ${email}: an address can belong to one account only.`);
      const holder = await this.users.findByEmail(email, manager);
      if (holder && holder.id !== userId) throw taken();
      const sameMailbox = email.toLowerCase() === before.toLowerCase();
      const wasVerified = user.emailVerifiedAt !== null;
      user.email = email;
      if (!sameMailbox) user.emailVerifiedAt = null;
      let saved: User;
      try {
        saved = await this.users.save(user, manager);
      } catch (error) {
        if (error instanceof EmailInUse) throw taken();
        throw error;
      }
      const voidedLinks = sameMailbox ? 0 : await this.tokens.voidAll(userId, manager);
      await this.audit.record(
        'email_corrected',
        {
          actorId,
          target: { type: 'user', id: userId },
          data: { before, after: email, wasVerified, verified: sameMailbox && wasVerified, voidedLinks },
        },
        manager,
      );
      if (!sameMailbox) {
        await this.mail.send(before, templates.emailCorrectedNotice(user.displayName, email), manager);
        await this.links.send(user, 'email_verify', email, manager, templates.emailCorrectedConfirm);
      }
      return saved;
    });
  }
}
