/**
 * Users: find and help accounts. Edits (display name, role) and every action go through the
 * API's OperatorAccountService, which applies its rules (never yourself or the last active admin)
 * and audits each change; a suspension ends every session, so the API refuses the account's next request.
 */
import { ConflictException } from '@nestjs/common';
import type { BaseRecord, ResourceWithOptions } from 'adminjs';
import type { DataSource } from 'typeorm';
import { type OperatorAccountService, type SecondFactors, User, USER_ROLES } from '@nuell/api';
import { operatorAction, without } from './operator-action.js';
import { panelResource } from './panel-resource.js';
import { suspensionActions } from './suspension-actions.js';
import { userPageActions } from './user-page.js';

/**
 * Each account's second factors, for a page of accounts in one query: `twoStep` (a confirmed
 * authenticator app) and `passkeys` (how many). The user's page shows them, and "Reset two-step
 * sign-in" is offered only when there is something to reset.
 */
function secondFactorsAnnotation(dataSource: DataSource) {
  return async (users: readonly User[]) => {
    const rows = await dataSource.query<{ id: string; totp: boolean; since: Date | null; passkeys: number }[]>(
      `SELECT u.id,
              t.confirmed_at IS NOT NULL AS totp, t.confirmed_at AS since,
              (SELECT count(*)::int FROM passkeys p WHERE p.user_id = u.id) AS passkeys
         FROM unnest($1::uuid[]) AS u(id)
         LEFT JOIN totp_factors t ON t.user_id = u.id AND t.confirmed_at IS NOT NULL`,
      [users.map((user) => user.id)],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        { twoStep: row.totp, twoStepSince: row.since?.toISOString() ?? null, passkeys: row.passkeys },
      ]),
    );
  };
}

const hasSecondFactors = (record: BaseRecord) =>
  record.params.twoStep === true || Number(record.params.passkeys ?? 0) > 0;

/** "an authenticator app and 2 passkeys": what a reset removes. */
function factorsOf(record: BaseRecord): string {
  const passkeys = Number(record.params.passkeys ?? 0);
  const parts = [
    ...(record.params.twoStep === true ? ['its authenticator app and recovery codes'] : []),
    ...(passkeys > 0 ? [`its ${passkeys === 1 ? 'passkey' : `${passkeys} passkeys`}`] : []),
  ];
  return parts.join(' and ');
}

export function usersResource(
  dataSource: DataSource,
  accounts: OperatorAccountService,
  secondFactors: SecondFactors,
): ResourceWithOptions {
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
      annotate: secondFactorsAnnotation(dataSource),
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
      properties: {
        isActive: { description: 'Unticked: suspended' },
        twoStep: { type: 'boolean', isSortable: false },
        twoStepSince: { type: 'datetime', isSortable: false },
        passkeys: { type: 'number', isSortable: false },
      },
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
        resetSecondFactors: operatorAction({
          icon: 'Unlock',
          variant: 'danger',
          question: (record) => ({
            question: `Reset two-step sign-in for ${String(record.params.email)}?`,
            consequence: `This removes ${factorsOf(record)}: the account then signs in with its password alone, and its owner is e-mailed that it was done. Do this only for the owner who lost them, once you are sure it is them (for an operator, they must set up an app again at their next sign-in to the panel).`,
          }),
          appliesTo: hasSecondFactors,
          run: async (record, actorId) => {
            // Offered only then; a POST made anyway would e-mail the owner about nothing.
            if (!hasSecondFactors(record)) {
              throw new ConflictException(`${String(record.params.email)} has no two-step sign-in to reset.`);
            }
            await secondFactors.reset(actorId, record.id());
            return `Two-step sign-in reset: ${String(record.params.email)} signs in with the password alone now, and has been e-mailed.`;
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
