/**
 * Sessions: one row per sign-in (the current refresh token of its family), with the device, the
 * address, when it was last used and when it expires. Revoking one goes through
 * OperatorAccountService. Token hashes are never selected, so they never reach the panel.
 */
import type { ResourceWithOptions } from 'adminjs';
import { IsNull, type DataSource } from 'typeorm';
import { describeDevice, type OperatorAccountService, Session } from '@nuell/api';
import { operatorAction, without } from './operator-action.js';
import { panelResource } from './panel-resource.js';

function status(session: Session): 'revoked' | 'expired' | 'live' {
  if (session.revokedAt !== null) return 'revoked';
  return session.expiresAt.getTime() <= Date.now() ? 'expired' : 'live';
}

export function sessionsResource(dataSource: DataSource, accounts: OperatorAccountService): ResourceWithOptions {
  return panelResource(
    Session,
    dataSource,
    {
      scope: { replacedBy: IsNull() },
      filters: {
        userId: { kind: 'uuid' },
        ip: { kind: 'text' },
        revoked: { kind: 'isSet', column: 'revokedAt' },
        lastUsedAt: { kind: 'range' },
      },
      sortable: ['lastUsedAt', 'expiresAt', 'createdAt'],
      virtual: (session) => ({
        device: describeDevice(session.userAgent),
        status: status(session),
      }),
    },
    {
      id: 'Session',
      navigation: { name: 'Accounts', icon: 'Users' },
      sort: { sortBy: 'lastUsedAt', direction: 'desc' },
      listProperties: ['userId', 'device', 'ip', 'lastUsedAt', 'expiresAt', 'status'],
      showProperties: [
        'familyId',
        'userId',
        'device',
        'userAgent',
        'ip',
        'scope',
        'lastUsedAt',
        'expiresAt',
        'familyExpiresAt',
        'revokedAt',
        'status',
      ],
      properties: {
        userId: { reference: 'User' },
        device: { type: 'string' },
        status: { type: 'string' },
      },
      actions: {
        ...without('new', 'edit', 'delete', 'bulkDelete'),
        revoke: operatorAction({
          icon: 'XCircle',
          variant: 'danger',
          question: async (record) => {
            const [owner] = await dataSource.query<{ email: string }[]>('SELECT email FROM users WHERE id = $1', [
              record.params.userId,
            ]);
            const where = [record.params.device, record.params.ip].filter(Boolean).join(', ');
            return {
              question: `End the session of ${owner?.email ?? 'this account'} on ${where || 'an unknown device'}?`,
              consequence: 'That device must sign in again; the account keeps its other sessions.',
            };
          },
          appliesTo: (record) => record.params.status === 'live',
          run: async (record, actorId) => {
            await accounts.revokeSession(actorId, String(record.params.familyId));
            return 'The session has ended.';
          },
        }),
      },
    },
  );
}
