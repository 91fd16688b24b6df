/**
 * What AdminJS shows: the resources, the dashboard, the branding and the wording of the panel's
 * own actions and messages.
 */
import type { AdminJSOptions } from 'adminjs';
import type { DataSource } from 'typeorm';
import type { MailQueueService, OperatorAccountService, OpsHealthService, SecondFactors } from '@nuell/api';
import type { PostsRepository, PostsService, SessionsRepository, UsersRepository } from '@nuell/api';
import { AUDIT_ACTIONS } from '@nuell/api';
import { auditActionTranslations } from './audit-labels.js';
import { type PanelConfig, ROOT_PATH } from './config.js';
import { componentLoader, Components } from './components.js';
import { dashboardData, dashboardOperations } from './dashboard.js';
import { HEALTH_PAGE, healthPageData } from './health-page.js';
import { auditLogResource, TARGET_LABELS } from './resources/audit-log.resource.js';
import { mailJobsResource } from './resources/mail-jobs.resource.js';
import { postsResource } from './resources/posts.resource.js';
import { sessionsResource } from './resources/sessions.resource.js';
import { appsResource } from './resources/apps.resource.js';
import { tokensResource } from './resources/tokens.resource.js';
import { usersResource } from './resources/users.resource.js';
import type { OperatorApps, OperatorSigningKeys, OperatorTokens } from './third-party.js';

export interface PanelServices {
  readonly dataSource: DataSource;
  readonly accounts: OperatorAccountService;
  readonly secondFactors: SecondFactors;
  readonly posts: PostsService;
  readonly mail: MailQueueService;
  readonly ops: OpsHealthService;
  /** Personal access tokens: the API's PersonalAccessTokensService. */
  readonly tokens: OperatorTokens;
  /** Apps and the ID tokens' signing keys: the API's OAuthClientsService and SigningKeysService. */
  readonly apps: OperatorApps;
  readonly signingKeys: OperatorSigningKeys;
  readonly repositories: { users: UsersRepository; posts: PostsRepository; sessions: SessionsRepository };
}

export function adminOptions(config: PanelConfig, services: PanelServices, prebuilt: boolean): AdminJSOptions {
  const { dataSource, accounts, posts } = services;
  return {
    rootPath: ROOT_PATH,
    loginPath: `${ROOT_PATH}/login`,
    logoutPath: `${ROOT_PATH}/logout`,
    // Prebuilt bundles (production) are served by the panel itself at /cp/assets.
    ...(prebuilt ? { assetsCDN: `${config.url}/assets/` } : {}),
    componentLoader,
    resources: [
      usersResource(dataSource, accounts, services.secondFactors),
      sessionsResource(dataSource, accounts),
      tokensResource(dataSource, services.tokens),
      appsResource(dataSource, services.apps, services.signingKeys),
      postsResource(dataSource, posts),
      auditLogResource(dataSource),
      mailJobsResource(services.mail),
    ],
    dashboard: {
      component: Components.Dashboard,
      handler: async () => {
        const [growth, operations] = await Promise.all([
          dashboardData(services.repositories),
          dashboardOperations(services.ops),
        ]);
        return { ...growth, operations };
      },
    },
    pages: {
      [HEALTH_PAGE]: {
        component: Components.Health,
        icon: 'Activity',
        handler: () => healthPageData(services.ops),
      },
    },
    settings: { defaultPerPage: 20 },
    branding: {
      companyName: 'nuell control panel',
      logo: false,
      withMadeWithLove: false,
    },
    locale: {
      language: 'en',
      availableLanguages: ['en'],
      translations: {
        en: {
          actions: {
            suspend: 'Suspend',
            bulkSuspend: 'Suspend',
            liftSuspension: 'Lift suspension',
            signOutEverywhere: 'Sign out everywhere',
            sendPasswordReset: 'Send password reset',
            markVerified: 'Mark e-mail verified',
            resetSecondFactors: 'Reset two-step sign-in',
            correctEmail: 'Correct e-mail',
            revoke: 'Revoke',
            hide: 'Hide',
            restore: 'Restore',
            bulkHide: 'Hide',
            rerender: 'Re-render',
            rerenderAll: 'Re-render all matching',
            retry: 'Retry',
            discard: 'Discard',
            exportCsv: 'Export CSV',
            register: 'Register an app',
            signingKeys: 'Signing keys',
            suspendApp: 'Suspend',
            unsuspendApp: 'Lift suspension',
          },
          buttons: { logout: 'Sign out', login: 'Sign in' },
          pages: { [HEALTH_PAGE]: 'Health' },
          messages: {
            invalidCredentials: 'Wrong e-mail or password, or not an operator account.',
            tooManyRequests: 'Too many failed sign-ins. Wait a few minutes and try again.',
            signInExpired: 'This sign-in has expired. Sign in again.',
            tooManyWrongCodes: 'Too many wrong codes. Sign in again.',
          },
          labels: {
            User: 'Users',
            Session: 'Sessions',
            Post: 'Posts',
            AuditLog: 'Audit log',
            MailJob: 'Mail queue',
            PersonalAccessToken: 'Personal access tokens',
            OAuthClient: 'Apps',
          },
          components: {
            Login: {
              welcomeHeader: 'Control panel',
              welcomeMessage: 'For operators of this nuell service. Sign in with your operator account.',
              loginButton: 'Sign in',
              properties: { email: 'E-mail', password: 'Password' },
            },
          },
          resources: {
            User: {
              properties: {
                isActive: 'Active',
                emailVerifiedAt: 'E-mail verified at',
                suspendedAt: 'Suspended since',
                suspendedUntil: 'Suspended until',
                suspensionReason: 'Reason for the suspension',
                suspensionMessage: 'Message to the user',
                twoStep: 'Two-step sign-in',
                twoStepSince: 'Two-step sign-in since',
                passkeys: 'Passkeys',
              },
            },
            Session: { properties: { userId: 'User', familyId: 'Session id', ip: 'IP address' } },
            PersonalAccessToken: {
              // The title of a token's page (AdminJS titles a page with its action).
              actions: { show: 'Personal access token' },
              properties: {
                userId: 'Owner',
                hint: 'Token',
                scopeList: 'Scopes',
                createdAt: 'Made',
                lastUsedAt: 'Last used',
                expiresAt: 'Expires',
                revokedAt: 'Revoked',
                revoked: 'Revoked',
                status: 'Status',
              },
            },
            OAuthClient: {
              actions: { show: 'App' },
              properties: {
                clientId: 'Client id',
                ownerId: 'Owner',
                registeredBy: 'Registered by',
                type: 'Kind',
                redirectUriList: 'Redirect URIs',
                scopeList: 'Scopes it may ask for',
                people: 'People who allowed it',
                liveSessions: 'Live sign-ins',
                suspended: 'Suspended',
                suspendedAt: 'Suspended since',
                createdAt: 'Registered',
              },
            },
            Post: {
              properties: {
                heading: 'Title',
                title: 'Title as written',
                shortId: 'Short id',
                authorId: 'Author',
                content: 'Markdown',
                contentHtml: 'Markdown and what readers see',
                hiddenAt: 'Hidden at',
                hidden: 'Hidden',
                readers: 'Readers',
                hiddenReason: 'Why it is hidden',
                hiddenBy: 'Hidden by',
              },
            },
            MailJob: {
              properties: {
                createdAt: 'Queued at',
                to: 'Recipient',
                kind: 'Kind (key)',
                kindLabel: 'Kind',
                maxAttempts: 'Attempts allowed',
                lastError: 'Last error',
                nextAttemptAt: 'Next attempt',
                failedAt: 'Failed at',
              },
            },
            AuditLog: {
              properties: {
                actorId: 'Actor',
                targetType: 'Target',
                targetId: 'Target id',
                targetUser: 'Target user',
                targetPost: 'Target post',
                ip: 'IP address',
                userAgent: 'User agent',
              },
              // What happened, in words: the Action column, the entry's page and the filter.
              labels: { action: auditActionTranslations(AUDIT_ACTIONS), targetType: TARGET_LABELS },
            },
          },
        },
      },
    },
  };
}
