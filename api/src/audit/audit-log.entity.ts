import { Column, Entity, Index } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';

/**
 * What the audit log records; a closed list so that queries and the panel can rely on it.
 * Security events first (sign-ins and registrations included), then the control panel's sign-ins
 * and sign-outs and what operators do there (each with the operator as the actor and what changed
 * in `data`).
 */
export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'registered',
  'refresh_token_reuse',
  'password_changed',
  'password_reset',
  'email_change_requested',
  'email_changed',
  'user_suspended',
  'user_unsuspended',
  'account_deleted',
  'panel_login',
  'panel_login_failed',
  'panel_logout',
  'audit_exported',
  'user_updated',
  'user_deleted',
  'email_marked_verified',
  'email_corrected',
  'password_reset_sent',
  'sessions_revoked',
  'session_revoked',
  'post_updated',
  'post_deleted',
  'post_hidden',
  'post_restored',
  'posts_rerendered',
  'mail_retried',
  'mail_discarded',
  'mfa_enabled',
  'mfa_disabled',
  'mfa_failed',
  'mfa_reset',
  'recovery_code_used',
  'recovery_codes_regenerated',
  'passkey_added',
  'passkey_renamed',
  'passkey_removed',
  'passkey_login_failed',
  'step_up',
  'step_up_failed',
  'token_created',
  'token_revoked',
  'oauth_client_registered',
  'oauth_client_updated',
  'oauth_client_deleted',
  'oauth_client_secret_reset',
  'oauth_client_suspended',
  'oauth_client_unsuspended',
  'oauth_consent_granted',
  'oauth_app_disconnected',
  'oauth_code_reused',
  'signing_key_rotated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** An append-only record of a security event or an operator action. */
@Entity({ name: 'audit_log' })
@Index('audit_log_created_idx', ['createdAt'])
@Index('audit_log_target_idx', ['targetType', 'targetId'])
@Index('audit_log_ip_idx', ['ip', 'createdAt'])
@Index('audit_log_actor_idx', ['actorId', 'createdAt'])
export class AuditLog extends AppEntity {
  /** Who did it: null for anonymous actors (a failed login with an unknown e-mail). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  action!: AuditAction;

  @Column({ name: 'target_type', type: 'varchar', length: 64, nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'uuid', nullable: true })
  targetId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: Record<string, unknown>;

  /** The client's address, as TRUST_PROXY resolves it (audit-client.ts); null outside a request. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;
}
