import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';
import type { User } from '../users/user.entity.js';

export const ACCOUNT_TOKEN_PURPOSES = ['password_reset', 'email_verify', 'email_change'] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/** A single-use, expiring token sent by e-mail (reset, verification, address change). */
@Entity({ name: 'account_tokens' })
@Index('account_tokens_token_hash_key', ['tokenHash'], { unique: true })
@Index('account_tokens_user_idx', ['userId', 'purpose'])
export class AccountToken extends AppEntity {
  @Column({ type: 'enum', enum: ACCOUNT_TOKEN_PURPOSES, enumName: 'account_token_purpose' })
  purpose!: AccountTokenPurpose;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'account_tokens_user_id_fkey' })
  user?: Relation<User>;

  /** SHA-256 (hex) of the token. */
  @Column({ name: 'token_hash', type: 'char', length: 64, select: false })
  tokenHash!: string;

  /** For `email_change`: the address being confirmed; for `email_verify`: the address verified. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
