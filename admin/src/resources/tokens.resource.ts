/**
 * Personal access tokens: the tokens users make for their scripts, each with its owner, name,
 * scopes, dates and whether it still works. Operators see them here and on each user's page, and
 * revoke one (a token that leaked, a script gone wrong) through the API's tokens service, which
 * audits it in the operator's name. Neither the token nor its hash ever reaches the panel: the
 * entity never selects the hash, and the token itself was never stored.
 */
import type { BaseRecord, ResourceWithOptions } from 'adminjs';
import type { DataSource } from 'typeorm';
import { PersonalAccessToken } from '@nuell/api';
import type { OperatorTokens } from '../third-party.js';
import { operatorAction, without } from './operator-action.js';
import { panelResource } from './panel-resource.js';

export type TokenStatus = 'live' | 'expired' | 'revoked';

export function tokenStatus(token: Pick<PersonalAccessToken, 'revokedAt' | 'expiresAt'>): TokenStatus {
  if (token.revokedAt !== null) return 'revoked';
  return token.expiresAt !== null && token.expiresAt.getTime() <= Date.now() ? 'expired' : 'live';
}

/** "deploy script (nuell_pat_…abcd) of alice@example.com": how the confirmation names a token. */
async function described(dataSource: DataSource, record: BaseRecord): Promise<string> {
  const [owner] = await dataSource.query<{ email: string }[]>('SELECT email FROM users WHERE id = $1', [
    record.params.userId,
  ]);
  return `"${String(record.params.name)}" (${String(record.params.hint)}) of ${owner?.email ?? 'a deleted account'}`;
}

export function tokensResource(dataSource: DataSource, tokens: OperatorTokens): ResourceWithOptions {
  return panelResource(
    PersonalAccessToken,
    dataSource,
    {
      filters: {
        userId: { kind: 'uuid' },
        name: { kind: 'text' },
        revoked: { kind: 'isSet', column: 'revokedAt' },
        createdAt: { kind: 'range' },
        lastUsedAt: { kind: 'range' },
      },
      sortable: ['createdAt', 'lastUsedAt', 'expiresAt', 'name'],
      virtual: (token) => ({
        hint: `${token.prefix}…${token.last4}`,
        scopeList: token.scopes.join(', '),
        status: tokenStatus(token),
      }),
    },
    {
      id: 'PersonalAccessToken',
      titleProperty: 'name',
      navigation: { name: 'Third-party access', icon: 'Key' },
      sort: { sortBy: 'createdAt', direction: 'desc' },
      listProperties: ['name', 'userId', 'scopeList', 'createdAt', 'lastUsedAt', 'expiresAt', 'status'],
      showProperties: [
        'name',
        'hint',
        'userId',
        'scopeList',
        'createdAt',
        'lastUsedAt',
        'expiresAt',
        'revokedAt',
        'status',
        'id',
      ],
      properties: {
        userId: { reference: 'User' },
        hint: { type: 'string', isSortable: false },
        scopeList: { type: 'string', isSortable: false },
        status: {
          type: 'string',
          isSortable: false,
          availableValues: [
            { value: 'live', label: 'Live' },
            { value: 'expired', label: 'Expired' },
            { value: 'revoked', label: 'Revoked' },
          ],
        },
      },
      actions: {
        ...without('new', 'edit', 'delete', 'bulkDelete'),
        revoke: operatorAction({
          icon: 'XCircle',
          variant: 'danger',
          question: async (record) => ({
            question: `Revoke the token ${await described(dataSource, record)}?`,
            consequence:
              'Every script or tool using it is refused from its next request. The account and its other tokens carry on; its owner can make a new one in their settings.',
          }),
          appliesTo: (record) => record.params.status === 'live',
          run: async (record, actorId) => {
            await tokens.revokeAsOperator(actorId, record.id());
            return `Revoked: "${String(record.params.name)}" no longer works.`;
          },
        }),
      },
    },
  );
}
