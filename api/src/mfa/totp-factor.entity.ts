import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';
import type { User } from '../users/user.entity.js';

/**
 * An account's authenticator app (RFC 6238 TOTP). Unconfirmed (`confirmedAt` null) while the
 * owner has scanned the code but not yet typed one back: it protects nothing until confirmed.
 */
@Entity({ name: 'totp_factors' })
@Index('totp_factors_user_key', ['userId'], { unique: true })
export class TotpFactor extends AppEntity {
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'totp_factors_user_id_fkey' })
  user?: Relation<User>;

  /** The shared secret, base32. Never sent again after enrolment. */
  @Column({ type: 'varchar', length: 64, select: false })
  secret!: string;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null = null;

  /** The newest 30-second step whose code was accepted: that code and older ones are refused. */
  @Column({ name: 'last_step', type: 'bigint', nullable: true })
  lastStep: string | null = null;
}
