/**
 * The audit log: read-only, newest first, filtered by actor, action, target and date. Entries
 * have no foreign keys, so one naming a deleted account still shows its id.
 */
import type { ResourceWithOptions } from 'adminjs';
import type { DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditLog } from '@nuell/api';
import { Components } from '../components.js';
import { without } from './operator-action.js';
import { panelResource } from './panel-resource.js';

export const AUDIT_TARGETS = ['user', 'post', 'session'] as const;

export function auditLogResource(dataSource: DataSource): ResourceWithOptions {
  return panelResource(
    AuditLog,
    dataSource,
    {
      filters: {
        actorId: { kind: 'uuid' },
        action: { kind: 'enum', values: AUDIT_ACTIONS },
        targetType: { kind: 'enum', values: AUDIT_TARGETS },
        targetId: { kind: 'uuid' },
        createdAt: { kind: 'range' },
      },
      sortable: ['createdAt', 'action'],
    },
    {
      id: 'AuditLog',
      navigation: { name: 'Accounts', icon: 'Users' },
      sort: { sortBy: 'createdAt', direction: 'desc' },
      listProperties: ['createdAt', 'action', 'actorId', 'targetType', 'targetId'],
      showProperties: ['id', 'createdAt', 'action', 'actorId', 'targetType', 'targetId', 'data'],
      properties: {
        actorId: { reference: 'User' },
        data: { components: { show: Components.JsonData } },
      },
      actions: without('new', 'edit', 'delete', 'bulkDelete'),
    },
  );
}
