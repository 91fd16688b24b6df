import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';
import type { User } from '../users/user.entity.js';

/** Longest passkey name, in characters. */
export const PASSKEY_NAME_MAX = 80;

/** A WebAuthn credential: the public half of a key pair held by the owner's authenticator. */
@Entity({ name: 'passkeys' })
@Index('passkeys_credential_id_key', ['credentialId'], { unique: true })
@Index('passkeys_user_idx', ['userId'])
export class Passkey extends AppEntity {
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'passkeys_user_id_fkey' })
  user?: Relation<User>;

  /** The credential id, base64url, as the authenticator names it. */
  @Column({ name: 'credential_id', type: 'varchar', length: 1024 })
  credentialId!: string;

  /** The COSE public key. */
  @Column({ name: 'public_key', type: 'bytea', select: false })
  publicKey!: Buffer;

  /** The signature counter last seen (0 for authenticators that keep none). */
  @Column({ type: 'bigint', default: 0 })
  counter!: string;

  /** Comma-separated AuthenticatorTransport values the browser reported, if any. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  transports: string | null = null;

  @Column({ type: 'varchar', length: PASSKEY_NAME_MAX })
  name!: string;

  /** `singleDevice` or `multiDevice` (synced), as the authenticator says. */
  @Column({ name: 'device_type', type: 'varchar', length: 32, nullable: true })
  deviceType: string | null = null;

  @Column({ name: 'backed_up', type: 'boolean', default: false })
  backedUp!: boolean;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;
}
