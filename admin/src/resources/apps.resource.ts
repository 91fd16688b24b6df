/**
 * Apps: the third-party apps (OAuth clients) users sign in to with their nuell account, whoever
 * registered them. Operators see each one (owner, kind, redirect URIs, scopes, how many people
 * use it), register one for a partner (its secret shown once), suspend one that misbehaves and lift
 * that again, and rotate the key that signs ID tokens. Every change goes through the API's
 * services, which check it and audit it in the operator's name. A client secret's hash never
 * reaches the panel (the entity does not select it).
 */
import type { Action, ActionContext, ActionRequest, ActionResponse, BaseRecord, ResourceWithOptions } from 'adminjs';
import type { DataSource } from 'typeorm';
import {
  APP_SCOPES,
  CLIENT_NAME_MAX,
  CLIENT_TYPES,
  OAuthClient,
  REDIRECT_URIS_MAX,
  SCOPES,
  ValidationProblem,
} from '@nuell/api';
import { Components } from '../components.js';
import type { OperatorApps, OperatorSigningKeys } from '../third-party.js';
import type { RegisterAppAnswer, RegisterAppCustom, SigningKeysAnswer } from '../third-party-props.js';
import { operatorAction, refusalIn, without } from './operator-action.js';
import { actorOf, panelResource } from './panel-resource.js';

/** The scopes an app may ask for, with what each lets it do, as the registration form offers them. */
const SCOPE_CHOICES = APP_SCOPES.map((scope) => ({ scope, description: SCOPES[scope] }));

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/**
 * Who registered each app (its owner's address, or the operators), and how many people use it:
 * those who allowed it, and its live sign-ins. One query per page of apps.
 */
function usageAnnotation(dataSource: DataSource) {
  return async (apps: readonly OAuthClient[]) => {
    const rows = await dataSource.query<{ id: string; owner: string | null; people: number; sessions: number }[]>(
      `SELECT c.id, u.email AS owner,
              (SELECT count(*)::int FROM oauth_grants g WHERE g.client_id = c.id) AS people,
              (SELECT count(*)::int FROM sessions s
                WHERE s.client_id = c.id AND s.replaced_by IS NULL AND s.revoked_at IS NULL AND s.expires_at > now())
                AS sessions
         FROM unnest($1::uuid[]) AS c(id)
         JOIN oauth_clients o ON o.id = c.id
         LEFT JOIN users u ON u.id = o.owner_id`,
      [apps.map((app) => app.id)],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        { registeredBy: row.owner ?? 'The operators', people: row.people, liveSessions: row.sessions },
      ]),
    );
  };
}

const appName = (record: BaseRecord) => String(record.params.name);
const isSuspended = (record: BaseRecord) => record.params.suspended === true;

/** The form's fields as the API's registration takes them: redirect URIs one a line, scopes space-separated. */
function registrationOf(request: ActionRequest) {
  const payload = (request.payload ?? {}) as Record<string, unknown>;
  const lines = (value: unknown) =>
    typeof value === 'string'
      ? value
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean)
      : value;
  const words = (value: unknown) => (typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value);
  return {
    name: payload.name ?? '',
    type: payload.type ?? '',
    redirectUris: lines(payload.redirectUris ?? ''),
    scopes: words(payload.scopes ?? ''),
  };
}

/** A refused registration: the notice, and each field's sentence under its field (redirectUris.0 → redirectUris). */
function refusedRegistration(error: unknown): RegisterAppAnswer {
  const message = refusalIn(error);
  if (message === undefined) throw error;
  if (!(error instanceof ValidationProblem)) return { notice: { message, type: 'error' } };
  const errors: Record<string, string> = {};
  for (const e of error.errors) {
    const field = e.field.split(/[.[]/)[0] ?? e.field;
    errors[field] = errors[field] ? `${errors[field]} ${e.detail}` : e.detail;
  }
  return { notice: { message: 'The app was not registered: see below.', type: 'error' }, errors };
}

function registerAction(apps: OperatorApps): Partial<Action<ActionResponse>> {
  return {
    actionType: 'resource',
    icon: 'Plus',
    component: Components.RegisterApp,
    // The form has its own heading and Cancel.
    hideActionHeader: true,
    custom: {
      scopes: SCOPE_CHOICES,
      nameMax: CLIENT_NAME_MAX,
      redirectUrisMax: REDIRECT_URIS_MAX,
    } satisfies RegisterAppCustom,
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      if (request.method !== 'post') return {};
      try {
        const app = await apps.register(actorOf(context), registrationOf(request));
        return {
          registered: app,
          notice: { message: `${app.name} is registered.`, type: 'success' },
        } satisfies RegisterAppAnswer;
      } catch (error) {
        return refusedRegistration(error);
      }
    },
  };
}

function signingKeysAction(keys: OperatorSigningKeys): Partial<Action<ActionResponse>> {
  return {
    actionType: 'resource',
    icon: 'Key',
    component: Components.SigningKeys,
    hideActionHeader: true,
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      if (request.method !== 'post') return { keys: await keys.list() } satisfies SigningKeysAnswer;
      await keys.rotate(actorOf(context));
      const now = await keys.list();
      const current = now.find((key) => key.current);
      return {
        keys: now,
        notice: {
          message: `A new signing key${current ? ` (${current.kid})` : ''} signs from now on; the previous one stays published until its tokens expire.`,
          type: 'success',
        },
      } satisfies SigningKeysAnswer;
    },
  };
}

export function appsResource(
  dataSource: DataSource,
  apps: OperatorApps,
  signingKeys: OperatorSigningKeys,
): ResourceWithOptions {
  return panelResource(
    OAuthClient,
    dataSource,
    {
      filters: {
        name: { kind: 'text' },
        clientId: { kind: 'text' },
        ownerId: { kind: 'uuid' },
        type: { kind: 'enum', values: CLIENT_TYPES },
        suspended: { kind: 'isSet', column: 'suspendedAt' },
        createdAt: { kind: 'range' },
      },
      sortable: ['name', 'createdAt'],
      virtual: (app) => ({
        redirectUriList: app.redirectUris.join('\n'),
        scopeList: app.scopes.join(', '),
      }),
      annotate: usageAnnotation(dataSource),
    },
    {
      id: 'OAuthClient',
      titleProperty: 'name',
      navigation: { name: 'Third-party access', icon: 'Key' },
      sort: { sortBy: 'createdAt', direction: 'desc' },
      listProperties: ['name', 'registeredBy', 'type', 'people', 'suspended', 'createdAt'],
      showProperties: [
        'name',
        'clientId',
        'ownerId',
        'registeredBy',
        'type',
        'redirectUriList',
        'scopeList',
        'people',
        'liveSessions',
        'createdAt',
        'suspendedAt',
        'id',
      ],
      properties: {
        ownerId: { reference: 'User' },
        registeredBy: { type: 'string', isSortable: false },
        redirectUriList: { type: 'textarea', isSortable: false },
        scopeList: { type: 'string', isSortable: false },
        people: { type: 'number', isSortable: false },
        liveSessions: { type: 'number', isSortable: false },
      },
      actions: {
        ...without('new', 'edit', 'delete', 'bulkDelete'),
        // Register and Signing keys are offered above the list, not on an app's page.
        show: { showResourceActions: false },
        register: registerAction(apps),
        signingKeys: signingKeysAction(signingKeys),
        suspendApp: operatorAction({
          icon: 'Slash',
          variant: 'danger',
          question: (record) => {
            const people = Number(record.params.people ?? 0);
            return {
              question: `Suspend ${appName(record)}?`,
              consequence: `It stops at once: its tokens are refused from their next request, it cannot get new ones, and nobody can sign in to it, until an operator lifts the suspension. ${people === 0 ? 'Nobody has allowed it yet.' : `The ${plural(people, 'person', 'people')} who allowed it keep their consent. Nobody is e-mailed: tell the app's developers why.`}`,
            };
          },
          appliesTo: (record) => !isSuspended(record),
          run: async (record, actorId) => {
            await apps.suspend(actorId, record.id());
            return `${appName(record)} is suspended: its tokens no longer work.`;
          },
        }),
        unsuspendApp: operatorAction({
          icon: 'CheckCircle',
          question: (record) => ({
            question: `Lift the suspension of ${appName(record)}?`,
            consequence:
              'It works again at once: people can sign in to it, and the tokens it holds that have not expired are accepted again.',
          }),
          appliesTo: isSuspended,
          run: async (record, actorId) => {
            await apps.unsuspend(actorId, record.id());
            return `${appName(record)} works again.`;
          },
        }),
      },
    },
  );
}
