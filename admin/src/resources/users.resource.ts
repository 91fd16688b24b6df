/**
 * Users: find and help accounts. Edits (display name, role) and every action go through the
 * API's OperatorAccountService, which applies its rules (never yourself or the last active admin)
 * and audits each change; a suspension ends every session, so the API refuses the account's next request.
 */
import type { ResourceWithOptions } from 'adminjs';
import type { DataSource } from 'typeorm';
import { type OperatorAccountService, User, USER_ROLES } from '@nuell/api';
import { operatorAction, without } from './operator-action.js';
import { panelResource } from './panel-resource.js';
import { suspensionActions } from './suspension-actions.js';
import { userPageActions } from './user-page.js';

export function usersResource(dataSource: DataSource, accounts: OperatorAccountService): ResourceWithOptions {
  return panelResource(
    User,
    dataSource,
    {
      filters: {
        email: { kind: 'text' },
        displayName: { kind: 'text' },
        role: { kind: 'enum', values: USER_ROLES },
        isActive: { kind: 'boolean' },
        verified: { kind: 'isSet', column: 'emailVerifiedAt' },
        createdAt: { kind: 'range' },
      },
      sortable: ['email', 'displayName', 'role', 'createdAt'],
      writer: {
        update: async (id, params, actorId) => {
          await accounts.updateAccount(actorId, id, { displayName: params.displayName, role: params.role });
        },
        delete: (id, actorId) => accounts.deleteAccount(actorId, id),
      },
    },
    {
      id: 'User',
      titleProperty: 'email',
      navigation: { name: 'Accounts', icon: 'Users' },
      sort: { sortBy: 'createdAt', direction: 'desc' },
      listProperties: ['email', 'displayName', 'role', 'isActive', 'verified', 'createdAt'],
      showProperties: ['id', 'email', 'displayName', 'role', 'isActive', 'emailVerifiedAt', 'createdAt', 'updatedAt'],
      editProperties: ['displayName', 'role'],
      properties: { isActive: { description: 'Unticked: suspended' } },
      actions: {
        ...without('new', 'bulkDelete'),
        // The page of one account, its figures, the e-mail correction, a delete that counts what goes.
        ...userPageActions(dataSource, accounts),
        // Suspend (one account, or the selected ones) and lift: suspension-actions.ts.
        ...suspensionActions(accounts),
        signOutEverywhere: operatorAction({
          icon: 'LogOut',
          question: (record) => ({
            question: `Sign ${String(record.params.email)} out of every session?`,
            consequence:
              'Every device and app signed in to the account must sign in again. Nothing else changes: the password stays, and it can sign in again at once.',
          }),
          // A suspension ended every session already.
          appliesTo: (record) => record.params.isActive === true,
          run: async (record, actorId) => {
            const ended = await accounts.signOutEverywhere(actorId, record.id());
            return `Signed out everywhere (${ended} session token${ended === 1 ? '' : 's'} ended).`;
          },
        }),
        sendPasswordReset: operatorAction({
          icon: 'Mail',
          question: (record) => ({
            question: `E-mail ${String(record.params.email)} a link to choose a new password?`,
            consequence:
              'The link works for 30 minutes, once. The current password keeps working until a new one is chosen.',
          }),
          appliesTo: (record) => record.params.isActive === true,
          run: async (record, actorId) => {
            await accounts.sendPasswordReset(actorId, record.id());
            return 'A password reset link is on its way.';
          },
        }),
        markVerified: operatorAction({
          icon: 'CheckSquare',
          question: (record) => ({
            question: `Mark ${String(record.params.email)} as verified?`,
            consequence:
              'As if its owner had followed the confirmation link: only do so if you know the address is theirs.',
          }),
          appliesTo: (record) => record.params.verified === false,
          run: async (record, actorId) => {
            await accounts.markEmailVerified(actorId, record.id());
            return 'The address is now verified.';
          },
        }),
      },
    },
  );
}
