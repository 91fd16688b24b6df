import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type AuditAction, AuditLog } from './audit-log.entity.js';

export interface AuditEntry {
  readonly actorId?: string | null;
  readonly target?: { readonly type: string; readonly id: string | null };
  readonly data?: Record<string, unknown>;
}

/** Appends one entry, in the given manager's transaction. */
export async function recordAudit(manager: EntityManager, action: AuditAction, entry: AuditEntry = {}): Promise<void> {
  const repository = manager.getRepository(AuditLog);
  await repository.save(
    repository.create({
      action,
      actorId: entry.actorId ?? null,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      data: entry.data ?? {},
    }),
  );
}

/** Writes the audit log. Pass the transaction's manager to record atomically with the change. */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  record(action: AuditAction, entry: AuditEntry = {}, manager: EntityManager = this.dataSource.manager): Promise<void> {
    return recordAudit(manager, action, entry);
  }
}
