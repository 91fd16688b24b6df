import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type AuditClient, currentAuditClient } from './audit-client.js';
import { type AuditAction, AuditLog } from './audit-log.entity.js';

export interface AuditEntry {
  readonly actorId?: string | null;
  readonly target?: { readonly type: string; readonly id: string | null };
  readonly data?: Record<string, unknown>;
  /** Where it came from; by default the client of the request it is recorded in (audit-client.ts). */
  readonly client?: AuditClient;
}

/**
 * The home of the `audit_log` table, which is only ever appended to. Pass the transaction's
 * manager to record atomically with the change the entry describes.
 */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async record(
    action: AuditAction,
    entry: AuditEntry = {},
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const log = manager.getRepository(AuditLog);
    const client = entry.client ?? currentAuditClient();
    await log.save(
      log.create({
        action,
        actorId: entry.actorId ?? null,
        targetType: entry.target?.type ?? null,
        targetId: entry.target?.id ?? null,
        data: entry.data ?? {},
        ip: client?.ip ?? null,
        userAgent: client?.userAgent ?? null,
      }),
    );
  }

  /** Whether the account has ever done `action` (served by audit_log_actor_idx). */
  async hasActed(actorId: string, action: AuditAction): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM audit_log WHERE actor_id = $1 AND action = $2 LIMIT 1`,
      [actorId, action],
    );
    return rows.length > 0;
  }
}
