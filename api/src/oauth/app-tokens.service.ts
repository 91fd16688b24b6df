import { Inject, Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { AccessTokenService, InvalidAccessToken } from '../auth/access-token.service.js';
import { OAuthError } from '../auth/oauth-errors.js';
import { hashToken } from '../auth/opaque-token.js';
import { type ClientInfo, RefreshRefused, RefreshTokenService } from '../auth/refresh-token.service.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { Principal } from '../policy/access.js';
import { type Scope, scopesOf } from '../policy/scopes.js';
import type { User } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import type { IntrospectionDto, UserInfoDto } from './dto/tokens.dto.js';
import { issuerOf } from './issuer.js';
import type { OAuthClient } from './oauth-client.entity.js';
import { verifierMatches } from './pkce.js';
import { SigningKeysService } from './signing-keys.service.js';

/** How long an ID token is valid: it proves a sign-in, it is not a credential to keep. */
export const ID_TOKEN_TTL_SECONDS = 900;

/** The token endpoint's answer to an app (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3). */
export interface AppTokens {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly refresh_token: string;
  readonly scope: string;
  readonly id_token?: string;
}

export interface CodeExchange {
  readonly code: string;
  readonly redirectUri: string | undefined;
  readonly codeVerifier: string | undefined;
}

interface CodeRow {
  id: string;
  client_id: string;
  user_id: string;
  redirect_uri: string;
  code_challenge: string;
  scope: string;
  nonce: string | null;
  auth_time: Date;
  expires_at: Date;
}

const BAD_CODE = 'the authorization code is invalid, expired or already used';

/**
 * What apps do with tokens: exchange a code (with PKCE) for tokens and an ID token, refresh them,
 * and look at or revoke their own tokens (RFC 7662, RFC 7009); and what userinfo tells them. An
 * app's access token is the API's own format with `client_id`, role `user`; its refresh tokens are
 * a session family marked with the app, rotated with reuse detection like the browser's.
 */
@Injectable()
export class AppTokensService {
  private readonly issuer: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly refreshTokens: RefreshTokenService,
    private readonly accessTokens: AccessTokenService,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly keys: SigningKeysService,
    private readonly audit: AuditRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.issuer = issuerOf(config);
  }

  /**
   * Spends an authorization code (RFC 6749 §4.1.3, RFC 7636 §4.6). The code is marked used before
   * anything else is checked, so a failed attempt spends it too; a code presented again revokes
   * the tokens it was exchanged for (RFC 6749 §4.1.2), since one of the two presenters stole it.
   * Claiming the code and issuing its tokens is one transaction: a replay racing the first
   * exchange waits on the code's row until the tokens exist, and then revokes them.
   */
  async exchangeCode(app: OAuthClient, exchange: CodeExchange, info: ClientInfo): Promise<AppTokens> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query<[CodeRow[], number]>(
        `UPDATE oauth_codes SET used_at = now(), updated_at = now()
          WHERE code_hash = $1 AND used_at IS NULL
          RETURNING id, client_id, user_id, redirect_uri, code_challenge, scope, nonce, auth_time, expires_at`,
        [hashToken(exchange.code)],
      );
      const code = rows[0];
      if (!code) return { refused: 'reused' as const };
      // A refusal is answered after the commit, so that the code stays spent.
      const refusal = this.refusalOf(code, app, exchange);
      if (refusal) return { refused: refusal };
      const user = await this.users.findById(code.user_id);
      if (!user?.isActive) return { refused: new OAuthError('invalid_grant', 'the account is not active') };
      const issued = await this.refreshTokens.start(user.id, code.scope, info, app.id, manager);
      await manager.query('UPDATE oauth_codes SET family_id = $2, updated_at = now() WHERE id = $1', [
        code.id,
        issued.session.familyId,
      ]);
      return { code, user, issued };
    });
    if ('refused' in outcome) {
      if (outcome.refused !== 'reused') throw outcome.refused;
      await this.refuseReuse(exchange.code, info);
      throw new OAuthError('invalid_grant', BAD_CODE);
    }
    const { code, user, issued } = outcome;
    return this.answer(app, user, issued.session.familyId, scopesOf(code.scope), issued.token, {
      authTime: code.auth_time,
      nonce: code.nonce,
    });
  }

  /** Why a claimed code buys nothing: expired, another app's, another redirect URI, a wrong verifier. */
  private refusalOf(code: CodeRow, app: OAuthClient, exchange: CodeExchange): OAuthError | null {
    if (code.expires_at.getTime() <= Date.now() || code.client_id !== app.id) {
      return new OAuthError('invalid_grant', BAD_CODE);
    }
    if (exchange.redirectUri !== code.redirect_uri) {
      return new OAuthError('invalid_grant', 'redirect_uri is not the one the code was issued for');
    }
    if (exchange.codeVerifier === undefined) return new OAuthError('invalid_grant', 'code_verifier is required (PKCE)');
    if (!verifierMatches(exchange.codeVerifier, code.code_challenge)) {
      return new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
    }
    return null;
  }

  /**
   * Rotates an app's refresh token; `narrow` asks for fewer scopes (never more: invalid_scope,
   * checked before the token is spent, so the app can retry with the same token). The new ID token
   * leaves `auth_time` out: the original sign-in's time is not kept with the session, and OpenID
   * Connect Core §12.2 allows a refreshed ID token without it, never with a later one.
   */
  async refresh(
    app: OAuthClient,
    refreshToken: string,
    narrow: string[] | undefined,
    info: ClientInfo,
  ): Promise<AppTokens> {
    if (narrow) {
      const current = await this.sessions.findByTokenHash(hashToken(refreshToken));
      // Only a live token of this app: a spent one goes on to rotate(), whose reuse detection it trips.
      if (current?.clientId === app.id && current.replacedBy === null) {
        const granted: string[] = scopesOf(current.scope);
        const beyond = narrow.filter((s) => !granted.includes(s));
        if (beyond.length > 0) throw new OAuthError('invalid_scope', `not granted: ${beyond.join(' ')}`);
      }
    }
    let issued;
    try {
      issued = await this.refreshTokens.rotate(refreshToken, info, app.id);
    } catch (error) {
      if (error instanceof RefreshRefused) {
        throw new OAuthError('invalid_grant', 'the refresh token is invalid, expired or revoked');
      }
      throw error;
    }
    const granted = scopesOf(issued.session.scope);
    const scopes = narrow ? granted.filter((s) => narrow.includes(s)) : granted;
    const user = await this.users.getById(issued.session.userId);
    return this.answer(app, user, issued.session.familyId, scopes, issued.token, { authTime: null, nonce: null });
  }

  /** RFC 7662: what the app's own live token is; `{ active: false }` for anything else. */
  async introspect(app: OAuthClient, token: string): Promise<IntrospectionDto> {
    const access = await this.accessTokenOf(app, token);
    if (access) {
      const live = await this.sessions.principalOf(access.userId, access.sessionId, app.clientId);
      if (!live) return { active: false };
      const { exp, iat } = decodeJwt(token);
      return {
        active: true,
        scope: access.scopes.join(' '),
        client_id: app.clientId,
        sub: access.userId,
        token_type: 'Bearer',
        ...(exp === undefined ? {} : { exp }),
        ...(iat === undefined ? {} : { iat }),
        iss: this.issuer,
      };
    }
    const session = await this.sessions.findByTokenHash(hashToken(token));
    if (!session || session.clientId !== app.id || session.revokedAt !== null || session.expiresAt <= new Date()) {
      return { active: false };
    }
    const user = await this.users.findById(session.userId);
    if (!user?.isActive) return { active: false };
    return {
      active: true,
      scope: session.scope,
      client_id: app.clientId,
      sub: session.userId,
      token_type: 'refresh_token',
      exp: Math.floor(session.expiresAt.getTime() / 1000),
      iss: this.issuer,
    };
  }

  /**
   * RFC 7009: ends the grant (the session family) that the app's token belongs to, access or
   * refresh token alike. Another app's token, or nonsense, is left alone without saying so.
   */
  async revoke(app: OAuthClient, token: string): Promise<void> {
    const access = await this.accessTokenOf(app, token);
    if (access) {
      await this.sessions.revokeFamily(access.sessionId, access.userId);
      return;
    }
    const session = await this.sessions.findByTokenHash(hashToken(token));
    if (session?.clientId === app.id) await this.sessions.revokeFamily(session.familyId, session.userId);
  }

  /** OpenID Connect userinfo: what the token's scopes allow the app to know. */
  async userinfo(principal: Principal): Promise<UserInfoDto> {
    const user = await this.users.getById(principal.userId);
    return { sub: user.id, ...this.claimsOf(user, principal.scopes) };
  }

  private async accessTokenOf(app: OAuthClient, token: string) {
    if (token.split('.').length !== 3) return null;
    try {
      const claims = await this.accessTokens.verify(token);
      return claims.clientId === app.clientId ? claims : null;
    } catch (error) {
      if (error instanceof InvalidAccessToken) return null;
      throw error;
    }
  }

  /** A code seen again: revoke what it was exchanged for and record it. */
  private async refuseReuse(code: string, info: ClientInfo): Promise<void> {
    const [spent] = await this.dataSource.query<{ id: string; user_id: string; family_id: string | null }[]>(
      'SELECT id, user_id, family_id FROM oauth_codes WHERE code_hash = $1',
      [hashToken(code)],
    );
    if (!spent) return;
    const revoked = spent.family_id ? await this.sessions.revokeFamily(spent.family_id) : 0;
    await this.audit.record('oauth_code_reused', {
      actorId: spent.user_id,
      target: { type: 'session', id: spent.family_id },
      data: { revokedTokens: revoked },
      client: info,
    });
  }

  private async answer(
    app: OAuthClient,
    user: User,
    familyId: string,
    scopes: readonly Scope[],
    refreshToken: string,
    signIn: { authTime: Date | null; nonce: string | null },
  ): Promise<AppTokens> {
    const accessToken = await this.accessTokens.sign({
      userId: user.id,
      // An app never wields an operator's powers, whoever's account it acts for.
      role: 'user',
      scopes,
      sessionId: familyId,
      clientId: app.clientId,
    });
    const idToken = scopes.includes('openid') ? await this.idToken(app, user, scopes, signIn) : undefined;
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.accessTokens.ttlSeconds,
      refresh_token: refreshToken,
      scope: scopes.join(' '),
      ...(idToken ? { id_token: idToken } : {}),
    };
  }

  /** OpenID Connect Core §2: who signed in, for this app only, signed with the current ES256 key. */
  private idToken(
    app: OAuthClient,
    user: User,
    scopes: readonly Scope[],
    signIn: { authTime: Date | null; nonce: string | null },
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return this.keys.sign({
      iss: this.issuer,
      sub: user.id,
      aud: app.clientId,
      azp: app.clientId,
      iat: now,
      exp: now + ID_TOKEN_TTL_SECONDS,
      ...(signIn.authTime === null ? {} : { auth_time: Math.floor(signIn.authTime.getTime() / 1000) }),
      ...(signIn.nonce === null ? {} : { nonce: signIn.nonce }),
      ...this.claimsOf(user, scopes),
    });
  }

  private claimsOf(user: User, scopes: readonly Scope[]): Omit<UserInfoDto, 'sub'> {
    return {
      ...(scopes.includes('profile') ? { name: user.displayName } : {}),
      ...(scopes.includes('email') ? { email: user.email, email_verified: user.emailVerifiedAt !== null } : {}),
    };
  }
}
