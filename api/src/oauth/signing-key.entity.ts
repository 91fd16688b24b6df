import { Column, Entity, Index } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';

/**
 * An ES256 key pair that signs ID tokens. The newest key whose `signs_until` is ahead signs; a key
 * stays in the JWKS until `retire_after`, past the life of every token it signed.
 */
@Entity({ name: 'signing_keys' })
@Index('signing_keys_kid_key', ['kid'], { unique: true })
export class SigningKey extends AppEntity {
  @Column({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  alg!: string;

  /** The private key as a JWK; never leaves the server. */
  @Column({ name: 'private_jwk', type: 'jsonb', select: false })
  privateJwk!: Record<string, unknown>;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: Record<string, unknown>;

  @Column({ name: 'signs_until', type: 'timestamptz' })
  signsUntil!: Date;

  @Column({ name: 'retire_after', type: 'timestamptz' })
  retireAfter!: Date;
}
