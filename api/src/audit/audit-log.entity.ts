import { Column, Entity, Index } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';

/**
 * What the audit log records; a closed list so that queries and the panel can rely on it.
 * Security events first, then what operators do in the control panel (each with the operator as
 * the actor and what changed in `data`).
 */
export const AUDIT_ACTIONS = [
  'login_failed',
  'refresh_token_reuse',
  'password_changed',
  'password_reset',
  'email_change_requested',
  'email_changed',
  'user_banned',
  'user_unbanned',
  'account_deleted',
  'panel_login',
  'panel_login_failed',
  'user_updated',
  'user_deleted',
  'email_marked_verified',
  'password_reset_sent',
  'sessions_revoked',
  'session_revoked',
  'post_updated',
  'post_deleted',
  'posts_rerendered',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** An append-only record of a security event or an operator action. */
@Entity({ name: 'audit_log' })
@Index('audit_log_created_idx', ['createdAt'])
@Index('audit_log_target_idx', ['targetType', 'targetId'])
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
}
