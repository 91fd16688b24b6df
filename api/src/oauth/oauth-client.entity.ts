import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';
import type { User } from '../users/user.entity.js';

export const CLIENT_TYPES = ['public', 'confidential'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];
export const CLIENT_NAME_MAX = 80;
export const REDIRECT_URIS_MAX = 10;

/**
 * A registered OAuth client (a third-party app). `clientId` is its public identifier; a
 * confidential client's secret is kept only as SHA-256. Redirect URIs are matched exactly.
 * `ownerId` null: registered by an operator in the control panel.
 */
@Entity({ name: 'oauth_clients' })
@Index('oauth_clients_client_id_key', ['clientId'], { unique: true })
@Index('oauth_clients_owner_idx', ['ownerId'])
export class OAuthClient extends AppEntity {
  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @Column({ type: 'varchar', length: CLIENT_NAME_MAX })
  name!: string;

  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId!: string | null;

  @ManyToOne('User', { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'oauth_clients_owner_id_fkey' })
  owner?: Relation<User> | null;

  @Column({ type: 'varchar', length: 16 })
  type!: ClientType;

  /** SHA-256 (hex) of the secret; null for a public client. */
  @Column({ name: 'secret_hash', type: 'char', length: 64, nullable: true, select: false })
  secretHash!: string | null;

  @Column({ name: 'redirect_uris', type: 'text', array: true })
  redirectUris!: string[];

  /** What the app may ask for: API scopes and OpenID Connect ones. */
  @Column({ type: 'text', array: true })
  scopes!: string[];

  /** Set by an operator: the app can neither sign anyone in nor use its tokens. */
  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt!: Date | null;
}
