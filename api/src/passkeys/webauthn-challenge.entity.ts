import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';
import type { User } from '../users/user.entity.js';

export const WEBAUTHN_PURPOSES = ['register', 'sign_in', 'step_up'] as const;
export type WebAuthnPurpose = (typeof WEBAUTHN_PURPOSES)[number];

/**
 * A challenge handed to a browser for one WebAuthn ceremony, kept here so that whichever replica
 * receives the answer can check it. Single-use and short-lived; `userId` is null for a sign-in,
 * where the passkey itself says whose it is.
 */
@Entity({ name: 'webauthn_challenges' })
@Index('webauthn_challenges_expires_idx', ['expiresAt'])
export class WebAuthnChallenge extends AppEntity {
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null = null;

  @ManyToOne('User', { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'webauthn_challenges_user_id_fkey' })
  user?: Relation<User> | null;

  @Column({ type: 'varchar', length: 16 })
  purpose!: WebAuthnPurpose;

  @Column({ type: 'varchar', length: 128 })
  challenge!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;
}
