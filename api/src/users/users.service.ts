import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AccountTokenService } from '../auth/account-token.service.js';
import { AuthService, assertPasswordPolicy, EmailTaken } from '../auth/auth.service.js';
import type { Principal } from '../auth/auth.decorators.js';
import { SessionService } from '../auth/session.service.js';
import { ValidationProblem } from '../http/problem.js';
import { MailService } from '../mail/mail.service.js';
import { templates } from '../mail/templates.js';
import { describeDevice } from './device.js';
import type { PublicProfileDto } from './dto/public-profile.dto.js';
import type { SessionDto } from './dto/users.dto.js';
import { UserDto } from './dto/user.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { User } from './user.entity.js';
import { findUserByEmail, findUserWithHash } from './users.repository.js';

const wrongPassword = (field: string) =>
  new ValidationProblem([{ field, pointer: `/${field}`, detail: `${field} is incorrect` }]);

/** The signed-in user's own account: profile, password, e-mail address and sessions. */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly accountTokens: AccountTokenService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly mail: MailService,
  ) {}

  async me(userId: string): Promise<UserDto> {
    return UserDto.from(await User.findOneByOrFail({ id: userId }));
  }

  async updateMe(userId: string, displayName: string): Promise<UserDto> {
    const user = await User.findOneByOrFail({ id: userId });
    user.displayName = displayName;
    return UserDto.from(await user.save());
  }

  private async withPassword(userId: string, password: string, field: string): Promise<User> {
    const user = await findUserWithHash(this.dataSource.manager, userId);
    if (!user || !(await this.hasher.verify(user.passwordHash, password))) throw wrongPassword(field);
    return user;
  }

  /** Changes the password and ends every other session; the current one stays signed in. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.withPassword(principal.userId, currentPassword, 'currentPassword');
    assertPasswordPolicy(newPassword, user, 'newPassword');
    const passwordHash = await this.hasher.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(User).update({ id: user.id }, { passwordHash });
      const revoked = await this.sessions.revokeAllForUser(user.id, { exceptFamilyId: principal.sessionId, manager });
      await this.audit.record(
        'password_changed',
        { actorId: user.id, target: { type: 'user', id: user.id }, data: { revokedSessions: revoked } },
        manager,
      );
    });
    this.mail.send(user.email, templates.passwordChanged(user.displayName));
  }

  /** Starts an address change: the new address must confirm; the old one is told. */
  async requestEmailChange(principal: Principal, newEmail: string, password: string): Promise<void> {
    const user = await this.withPassword(principal.userId, password, 'password');
    if (newEmail.toLowerCase() === user.email.toLowerCase()) {
      throw new ConflictException('This is already your e-mail address.');
    }
    if (await findUserByEmail(this.dataSource.manager, newEmail)) throw new EmailTaken();
    const token = await this.dataSource.transaction(async (manager) => {
      await this.audit.record(
        'email_change_requested',
        { actorId: user.id, target: { type: 'user', id: user.id }, data: { from: user.email, to: newEmail } },
        manager,
      );
      return this.accountTokens.issue(manager, user.id, 'email_change', newEmail);
    });
    this.mail.send(newEmail, templates.emailChangeConfirm(user.displayName, this.auth.link('/verify-email', token)));
    this.mail.send(user.email, templates.emailChangeNotice(user.displayName, newEmail));
  }

  async listSessions(principal: Principal): Promise<SessionDto[]> {
    const rows: {
      family_id: string;
      user_agent: string | null;
      ip: string | null;
      started_at: Date;
      last_used_at: Date;
    }[] = await this.dataSource.query(
      `SELECT s.family_id, s.user_agent, s.ip, s.last_used_at,
              (SELECT min(f.created_at) FROM sessions f WHERE f.family_id = s.family_id) AS started_at
         FROM sessions s
        WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
        ORDER BY s.last_used_at DESC`,
      [principal.userId],
    );
    return rows.map((row) => ({
      id: row.family_id,
      device: describeDevice(row.user_agent),
      userAgent: row.user_agent,
      ip: row.ip,
      createdAt: row.started_at.toISOString(),
      lastUsedAt: row.last_used_at.toISOString(),
      current: row.family_id === principal.sessionId,
    }));
  }

  async endSession(principal: Principal, sessionId: string): Promise<void> {
    const [owned] = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM sessions WHERE family_id = $1 AND user_id = $2 AND revoked_at IS NULL LIMIT 1`,
      [sessionId, principal.userId],
    );
    if (!owned) throw new NotFoundException('No such session.');
    await this.sessions.revokeFamily(sessionId);
  }

  /** Anyone may read an active account's public face; a banned or unknown one does not exist. */
  async publicProfile(id: string): Promise<PublicProfileDto> {
    const [row] = await this.dataSource.query<{ id: string; display_name: string; created_at: Date; posts: number }[]>(
      `SELECT u.id, u.display_name, u.created_at, (SELECT count(*)::int FROM posts p WHERE p.author_id = u.id) AS posts
         FROM users u
        WHERE u.id = $1 AND u.is_active`,
      [id],
    );
    if (!row) throw new NotFoundException('No such user.');
    return { id: row.id, displayName: row.display_name, createdAt: row.created_at.toISOString(), postCount: row.posts };
  }

  /**
   * Deletes the account for good once its password is confirmed: its posts, sessions and e-mailed
   * tokens go with it (the foreign keys cascade), so every token it held stops working at once.
   * The audit entry keeps the id and the counts, not the address.
   */
  async deleteAccount(principal: Principal, currentPassword: string): Promise<void> {
    const user = await this.withPassword(principal.userId, currentPassword, 'currentPassword');
    await this.dataSource.transaction(async (manager) => {
      const [counts] = await manager.query<{ posts: number; sessions: number }[]>(
        `SELECT (SELECT count(*)::int FROM posts WHERE author_id = $1) AS posts,
                (SELECT count(*)::int FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()) AS sessions`,
        [user.id],
      );
      await manager.getRepository(User).delete({ id: user.id });
      await this.audit.record(
        'account_deleted',
        {
          actorId: user.id,
          target: { type: 'user', id: user.id },
          data: { deletedPosts: counts?.posts ?? 0, endedSessions: counts?.sessions ?? 0 },
        },
        manager,
      );
    });
    this.mail.send(user.email, templates.accountDeleted(user.displayName));
  }

  endOtherSessions(principal: Principal): Promise<number> {
    return this.sessions.revokeAllForUser(principal.userId, { exceptFamilyId: principal.sessionId });
  }
}
