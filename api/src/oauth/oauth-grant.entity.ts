import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';
import type { User } from '../users/user.entity.js';
import type { OAuthClient } from './oauth-client.entity.js';

/**
 * A user's consent to an app (a "connected app"): which scopes they allowed. Disconnecting deletes
 * it and revokes the app's tokens for that user.
 */
@Entity({ name: 'oauth_grants' })
@Index('oauth_grants_user_client_key', ['userId', 'clientId'], { unique: true })
@Index('oauth_grants_client_idx', ['clientId'])
export class OAuthGrant extends AppEntity {
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'oauth_grants_user_id_fkey' })
  user?: Relation<User>;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @ManyToOne('OAuthClient', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'oauth_grants_client_id_fkey' })
  client?: Relation<OAuthClient>;

  @Column({ type: 'text', array: true })
  scopes!: string[];
}
