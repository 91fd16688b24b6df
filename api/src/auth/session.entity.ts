import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';
import type { OAuthClient } from '../oauth/oauth-client.entity.js';
import type { User } from '../users/user.entity.js';

/**
 * One refresh token. A sign-in starts a family; every refresh replaces the family's live token
 * with a new row (`replaced_by`). The family is what a user sees as a "session".
 */
@Entity({ name: 'sessions' })
@Index('sessions_token_hash_key', ['tokenHash'], { unique: true })
@Index('sessions_family_idx', ['familyId'])
@Index('sessions_user_idx', ['userId'])
@Index('sessions_last_used_idx', ['lastUsedAt', 'userId'])
@Index('sessions_client_idx', ['clientId'])
export class Session extends AppEntity {
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'sessions_user_id_fkey' })
  user?: Relation<User>;

  @Column({ name: 'family_id', type: 'uuid' })
  familyId!: string;

  /** SHA-256 (hex) of the opaque token; the token itself is never stored. */
  @Column({ name: 'token_hash', type: 'char', length: 64, select: false })
  tokenHash!: string;

  /** Sliding expiry of this token. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** Absolute end of the family, set at sign-in; refreshing never goes past it. */
  @Column({ name: 'family_expires_at', type: 'timestamptz' })
  familyExpiresAt!: Date;

  /** Space-separated scopes granted at sign-in; every access token of the family carries them. */
  @Column({ type: 'varchar', length: 200 })
  scope!: string;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'replaced_by', type: 'uuid', nullable: true })
  replacedBy!: string | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', default: () => 'now()' })
  lastUsedAt!: Date;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  /**
   * When the owner last proved presence in this session (a step-up with a
   * password, a code or a passkey). Read as the newest of the family's rows.
   */
  @Column({ name: 'proven_at', type: 'timestamptz', nullable: true })
  provenAt: Date | null = null;

  /** The app (oauth_clients.id) a family was issued to; null for a first-party session. */
  @Column({ name: 'client_id', type: 'uuid', nullable: true })
  clientId: string | null = null;

  @ManyToOne('OAuthClient', { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'sessions_client_id_fkey' })
  client?: Relation<OAuthClient> | null;
}
