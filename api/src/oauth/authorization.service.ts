import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AuditRepository } from '../audit/audit.repository.js';
import { hashToken, newOpaqueToken } from '../auth/opaque-token.js';
import type { ClientInfo } from '../auth/refresh-token.service.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailService } from '../mail/mail.service.js';
import { templates } from '../mail/templates.js';
import type { Principal } from '../policy/access.js';
import { SCOPES } from '../policy/scopes.js';
import { UsersRepository } from '../users/users.repository.js';
import { type AppScope, isAppScope } from './app-scopes.js';
import type { AuthorizeQueryDto, AuthorizeViewDto } from './dto/authorize.dto.js';
import { issuerOf } from './issuer.js';
import type { OAuthClient } from './oauth-client.entity.js';
import { OAuthCode } from './oauth-code.entity.js';
import { OAuthClientsService } from './oauth-clients.service.js';
import { isCodeChallenge } from './pkce.js';
import { abilitiesInWords } from './scopes-in-words.js';

/** How long an authorization code lives (RFC 6749 §4.1.2 recommends at most 10 minutes). */
export const CODE_TTL_MS = 60_000;
/** How many old codes each new one clears away. */
const SWEEP_BATCH = 100;

/** A request the app cannot be told about (unknown app, unregistered redirect URI): shown on the page. */
export class AuthorizationRefused extends BadRequestException {}

/** A checked request: the app, its redirect URI and what the user is asked to allow. */
interface Checked {
  readonly client: OAuthClient;
  readonly redirectUri: string;
  readonly scopes: AppScope[];
  readonly codeChallenge: string;
}

/** A request refused with an OAuth error that goes back to the app (RFC 6749 §4.1.2.1). */
class RedirectError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

/**
 * The authorization endpoint's logic (RFC 6749 §4.1 with PKCE, RFC 9207, OpenID Connect Core
 * §3.1.2): the web app's consent page asks what to show, then sends the user's decision. Before the
 * redirect URI is known to be the app's, nothing goes back to it: that would make the endpoint an
 * open redirector. Codes are single-use and live a minute.
 */
@Injectable()
export class AuthorizationService {
  private readonly issuer: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: OAuthClientsService,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.issuer = issuerOf(config);
  }

  /** What the consent page shows, or where to send the browser back with an error. */
  async view(query: AuthorizeQueryDto): Promise<AuthorizeViewDto> {
    const { client, redirectUri } = await this.verifiedTarget(query);
    let checked: Checked;
    try {
      checked = this.check(client, redirectUri, query);
    } catch (error) {
      if (error instanceof RedirectError) return { redirectTo: this.redirect(redirectUri, query, error) };
      throw error;
    }
    const owner = client.ownerId === null ? null : await this.users.findById(client.ownerId);
    return {
      client: {
        clientId: client.clientId,
        name: client.name,
        ownerName: owner?.displayName ?? null,
        operatorRegistered: client.ownerId === null,
      },
      scopes: checked.scopes.map((scope) => ({ scope, description: SCOPES[scope] })),
      redirectHost: new URL(redirectUri).host,
      redirectUri,
    };
  }

  /** The user's decision: a code for the app, or access_denied; where to send the browser. */
  async decide(
    query: AuthorizeQueryDto,
    decision: 'allow' | 'deny',
    principal: Principal,
    info: ClientInfo,
  ): Promise<string> {
    const { client, redirectUri } = await this.verifiedTarget(query);
    let checked: Checked;
    try {
      checked = this.check(client, redirectUri, query);
    } catch (error) {
      if (error instanceof RedirectError) return this.redirect(redirectUri, query, error);
      throw error;
    }
    if (decision === 'deny') {
      return this.redirect(redirectUri, query, new RedirectError('access_denied', 'the user denied the request'));
    }
    const code = newOpaqueToken();
    const authTime = (await this.sessions.familyStartedAt(principal.sessionId)) ?? new Date();
    await this.dataSource.transaction(async (manager) => {
      // One statement, so two "Allow"s racing for a first connection make one consent (the unique
      // key would refuse the second insert) and exactly one of them learns that it was the first.
      const [{ inserted }] = await manager.query<[{ inserted: boolean }]>(
        `INSERT INTO oauth_grants (id, user_id, client_id, scopes) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, client_id) DO UPDATE
           SET scopes = ARRAY(SELECT DISTINCT s FROM unnest(oauth_grants.scopes || EXCLUDED.scopes) AS s ORDER BY 1),
               updated_at = now()
         RETURNING (xmax = 0) AS inserted`,
        [uuidv7(), principal.userId, client.id, checked.scopes],
      );
      await manager.save(
        manager.create(OAuthCode, {
          codeHash: hashToken(code),
          clientId: client.id,
          userId: principal.userId,
          redirectUri,
          codeChallenge: checked.codeChallenge,
          scope: checked.scopes.join(' '),
          nonce: query.nonce ?? null,
          authTime,
          expiresAt: new Date(Date.now() + CODE_TTL_MS),
          usedAt: null,
          familyId: null,
        }),
      );
      await this.audit.record(
        'oauth_consent_granted',
        {
          actorId: principal.userId,
          target: { type: 'oauth_client', id: client.id },
          data: { clientId: client.clientId, scopes: checked.scopes },
          client: info,
        },
        manager,
      );
      // Queued with the consent: the e-mail goes out exactly when the connection was made.
      if (inserted) await this.tellOwner(principal.userId, client, checked.scopes, manager);
    });
    // Old codes are worth nothing once a replay of them no longer matters: whoever makes a new one
    // clears a few away. Kept a day past their expiry, so that a replay still revokes what they bought.
    await this.dataSource.query(
      `DELETE FROM oauth_codes
        WHERE id IN (SELECT id FROM oauth_codes WHERE expires_at < now() - interval '1 day' LIMIT $1)`,
      [SWEEP_BATCH],
    );
    const url = new URL(redirectUri);
    url.searchParams.append('code', code);
    if (query.state !== undefined) url.searchParams.append('state', query.state);
    url.searchParams.append('iss', this.issuer);
    return url.href;
  }

  /** The app and a redirect URI registered for it, or a refusal the page shows (never a redirect). */
  private async verifiedTarget(query: AuthorizeQueryDto): Promise<{ client: OAuthClient; redirectUri: string }> {
    if (!query.client_id) throw new AuthorizationRefused('The request names no app (client_id is missing).');
    const client = await this.clients.findByClientId(query.client_id);
    if (!client) throw new AuthorizationRefused('No app is registered with this client_id.');
    if (client.suspendedAt) throw new AuthorizationRefused('This app has been suspended by the operators.');
    if (!query.redirect_uri) throw new AuthorizationRefused('The request has no redirect_uri.');
    // Exact string comparison: no normalisation, no prefixes (RFC 9700 §4.1.3).
    if (!client.redirectUris.includes(query.redirect_uri)) {
      throw new AuthorizationRefused('The redirect_uri is not one the app registered.');
    }
    return { client, redirectUri: query.redirect_uri };
  }

  private check(client: OAuthClient, redirectUri: string, query: AuthorizeQueryDto): Checked {
    if (query.response_type !== 'code') {
      throw new RedirectError('unsupported_response_type', 'response_type must be code');
    }
    const requested = (query.scope ?? '').trim().split(/\s+/).filter(Boolean);
    if (requested.length === 0) throw new RedirectError('invalid_scope', 'scope is required');
    const unknown = requested.filter((s) => !isAppScope(s));
    if (unknown.length > 0) throw new RedirectError('invalid_scope', `unknown scope: ${unknown.join(' ')}`);
    const beyond = requested.filter((s) => !client.scopes.includes(s));
    if (beyond.length > 0) {
      throw new RedirectError('invalid_scope', `the app is not allowed the scope ${beyond.join(' ')}`);
    }
    if (!query.code_challenge) throw new RedirectError('invalid_request', 'code_challenge is required (PKCE)');
    if (query.code_challenge_method !== 'S256') {
      throw new RedirectError('invalid_request', 'code_challenge_method must be S256');
    }
    if (!isCodeChallenge(query.code_challenge)) {
      throw new RedirectError('invalid_request', 'code_challenge must be 43 base64url characters');
    }
    return { client, redirectUri, scopes: [...new Set(requested as AppScope[])], codeChallenge: query.code_challenge };
  }

  private redirect(redirectUri: string, query: AuthorizeQueryDto, error: RedirectError): string {
    const url = new URL(redirectUri);
    url.searchParams.append('error', error.error);
    url.searchParams.append('error_description', error.description);
    if (query.state !== undefined) url.searchParams.append('state', query.state);
    url.searchParams.append('iss', this.issuer);
    return url.href;
  }

  /** Tells the user an app can now act for them: someone with their session could have done it. */
  private async tellOwner(
    userId: string,
    client: OAuthClient,
    scopes: readonly AppScope[],
    manager: EntityManager,
  ): Promise<void> {
    const user = await this.users.getById(userId);
    await this.mail.send(
      user.email,
      templates.appConnected(
        user.displayName,
        client.name,
        abilitiesInWords(scopes),
        new URL('/settings#connected-apps', this.config.publicUrl).href,
      ),
      manager,
    );
  }
}
