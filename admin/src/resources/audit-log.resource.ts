/**
 * The audit log: read-only, newest first, filtered by actor, action, target, IP address and date.
 * Entries have no foreign keys, so one naming a deleted account still shows its id. A target that
 * is a user or a post links to it (Target user, Target post); each entry shows the client's IP
 * address and user agent.
 *
 * Panel sign-ins and sign-outs are folded: routine, they would drown the rest, so the list (and
 * its CSV export, `/cp/audit-log.csv`) leaves them out unless the action filter names one.
 */
import type { ResourceWithOptions } from 'adminjs';
import { Not, In, type DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditLog } from '@nuell/api';
import { Components } from '../components.js';
import { without } from './operator-action.js';
import { panelResource } from './panel-resource.js';

export const AUDIT_TARGETS = ['user', 'post', 'session', 'mail_job', 'oauth_client', 'signing_key'] as const;
/** What the target filter and column call each kind of target. */
/** Each target kind in words (admin-options.ts translates the Target column and filter with them). */
export const TARGET_LABELS: Record<(typeof AUDIT_TARGETS)[number], string> = {
  user: 'User',
  post: 'Post',
  session: 'Session',
  mail_job: 'E-mail in the queue',
  oauth_client: 'App',
  signing_key: 'Signing key',
};
/** Shown only when the action filter asks for them. */
export const FOLDED_ACTIONS = ['panel_login', 'panel_logout'] as const;

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
        ip: { kind: 'text' },
        createdAt: { kind: 'range' },
      },
      sortable: ['createdAt', 'action'],
      refine: (where, values) => {
        if (values.action === undefined) where.action = Not(In([...FOLDED_ACTIONS]));
      },
      virtual: (entry) => ({
        targetUser: entry.targetType === 'user' ? entry.targetId : null,
        targetPost: entry.targetType === 'post' ? entry.targetId : null,
      }),
    },
    {
      id: 'AuditLog',
      navigation: { name: 'Accounts', icon: 'Users' },
      sort: { sortBy: 'createdAt', direction: 'desc' },
      listProperties: ['createdAt', 'action', 'actorId', 'targetType', 'targetUser', 'targetPost', 'ip'],
      showProperties: [
        'id',
        'createdAt',
        'action',
        'actorId',
        'targetType',
        'targetId',
        'targetUser',
        'targetPost',
        'ip',
        'userAgent',
        'data',
      ],
      properties: {
        actorId: { reference: 'User' },
        targetUser: { reference: 'User', isSortable: false },
        targetPost: { reference: 'Post', isSortable: false },
        data: { components: { show: Components.JsonData } },
      },
      actions: {
        ...without('new', 'edit', 'delete', 'bulkDelete'),
        // "Export CSV" exports the list's filter: offered above the list, not on an entry's page.
        show: { showResourceActions: false },
        // A drawer over the list, so it sees the list's filter; the download is /cp/audit-log.csv.
        exportCsv: {
          actionType: 'resource',
          icon: 'Download',
          showInDrawer: true,
          component: Components.ExportCsv,
          handler: () => Promise.resolve({}),
        },
      },
    },
  );
}
