import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';
import type { User } from '../users/user.entity.js';
import type { OAuthClient } from './oauth-client.entity.js';

/**
 * An authorization code (RFC 6749 §4.1): single-use, short-lived, stored as SHA-256 and bound to
 * the client, the redirect URI, the PKCE challenge, the scopes and the nonce. Once spent,
 * `family_id` names the session it started, so a replay can revoke what it issued.
 */
@Entity({ name: 'oauth_codes' })
@Index('oauth_codes_code_hash_key', ['codeHash'], { unique: true })
@Index('oauth_codes_expires_idx', ['expiresAt'])
export class OAuthCode extends AppEntity {
  @Column({ name: 'code_hash', type: 'char', length: 64 })
  codeHash!: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @ManyToOne('OAuthClient', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'oauth_codes_client_id_fkey' })
  client?: Relation<OAuthClient>;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'oauth_codes_user_id_fkey' })
  user?: Relation<User>;

  @Column({ name: 'redirect_uri', type: 'text' })
  redirectUri!: string;

  @Column({ name: 'code_challenge', type: 'varchar', length: 128 })
  codeChallenge!: string;

  @Column({ type: 'text' })
  scope!: string;

  @Column({ type: 'varchar', length: 512, nullable: true })
  nonce!: string | null;

  /** When the user last proved who they are in the session that allowed the app (OIDC auth_time). */
  @Column({ name: 'auth_time', type: 'timestamptz' })
  authTime!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'family_id', type: 'uuid', nullable: true })
  familyId!: string | null;
}
