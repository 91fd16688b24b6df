import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';
import type { ApiScope } from '../policy/scopes.js';
import type { User } from '../users/user.entity.js';

/** Longest token name, in characters. */
export const TOKEN_NAME_MAX = 100;

/**
 * A personal access token: a secret a user mints for their scripts, limited to some of the API
 * scopes, that acts as them until it expires or they revoke it. Only its SHA-256 is kept; the
 * token itself is answered once, when it is made.
 */
@Entity({ name: 'personal_access_tokens' })
@Index('personal_access_tokens_token_hash_key', ['tokenHash'], { unique: true })
@Index('personal_access_tokens_user_idx', ['userId', 'createdAt'])
export class PersonalAccessToken extends AppEntity {
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'personal_access_tokens_user_id_fkey' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: TOKEN_NAME_MAX })
  name!: string;

  /** Space-separated, as OAuth writes scopes; only API scopes (never `account`). */
  @Column({
    type: 'text',
    transformer: { to: (scopes: readonly string[]) => scopes.join(' '), from: (list: string) => list.split(' ') },
  })
  scopes!: ApiScope[];

  /** SHA-256 (hex) of the whole token. */
  @Column({ name: 'token_hash', type: 'char', length: 64, select: false })
  tokenHash!: string;

  /** The token's prefix (`nuell_pat_`), for the list's hint, should the format ever change. */
  @Column({ type: 'varchar', length: 16 })
  prefix!: string;

  /** The token's last four characters, for the list's hint. */
  @Column({ name: 'last4', type: 'char', length: 4 })
  last4!: string;

  /** null: never expires. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  /** When it last authenticated a request, to the minute (written at most once a minute). */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
