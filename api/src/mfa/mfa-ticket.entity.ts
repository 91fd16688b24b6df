import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';
import type { User } from '../users/user.entity.js';

/**
 * What a right password earns when the account has a second factor: a short-lived, single-use
 * ticket that the second step spends. Stored as the SHA-256 of the opaque token.
 */
@Entity({ name: 'mfa_tickets' })
@Index('mfa_tickets_token_hash_key', ['tokenHash'], { unique: true })
@Index('mfa_tickets_expires_idx', ['expiresAt'])
@Index('mfa_tickets_user_idx', ['userId'])
export class MfaTicket extends AppEntity {
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'mfa_tickets_user_id_fkey' })
  user?: Relation<User>;

  @Column({ name: 'token_hash', type: 'char', length: 64, select: false })
  tokenHash!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  /** Wrong codes tried with this ticket; past the limit it is spent. */
  @Column({ type: 'integer', default: 0 })
  failures!: number;
}
