import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { UserRole } from '../policy/access.js';
import { type Scope, scopesOf } from '../policy/scopes.js';

/** RFC 9068's media type for JWT access tokens: nothing else we sign or accept looks like one. */
const TYP = 'at+jwt';
const ALGORITHM = 'HS256';
const ALLOWED_HEADER_KEYS = new Set(['alg', 'typ']);

export interface AccessClaims {
  readonly userId: string;
  readonly role: UserRole;
  readonly scopes: readonly Scope[];
  /** The session (refresh-token family) the token was issued for. */
  readonly sessionId: string;
  /** The app's public client_id (claim `client_id`, RFC 9068) when a third-party app holds the token. */
  readonly clientId?: string;
}

interface Payload {
  sub?: unknown;
  role?: unknown;
  scope?: unknown;
  sid?: unknown;
  client_id?: unknown;
}

export class InvalidAccessToken extends Error {}

/**
 * Signs and verifies access tokens: HS256 only, issuer and audience pinned, short
 * lived. Tokens whose header names keys (`jwk`, `jku`, `kid`, ...) or another type are refused
 * before the signature is even checked.
 */
@Injectable()
export class AccessTokenService {
  readonly ttlSeconds: number;

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.ttlSeconds = config.accessTokenTtlSeconds;
  }

  sign(claims: AccessClaims): Promise<string> {
    return this.jwt.signAsync(
      {
        role: claims.role,
        scope: claims.scopes.join(' '),
        sid: claims.sessionId,
        ...(claims.clientId === undefined ? {} : { client_id: claims.clientId }),
      },
      {
        algorithm: ALGORITHM,
        header: { alg: ALGORITHM, typ: TYP },
        subject: claims.userId,
        jwtid: randomUUID(), // every token is distinct, even two issued in the same second
        issuer: this.config.jwt.issuer,
        audience: this.config.jwt.audience,
        expiresIn: this.ttlSeconds,
        secret: this.config.jwt.secret,
      },
    );
  }

  async verify(token: string): Promise<AccessClaims> {
    const decoded: unknown = this.jwt.decode(token, { complete: true });
    const header = (decoded as { header?: Record<string, unknown> } | null)?.header;
    if (!header || header.typ !== TYP || Object.keys(header).some((key) => !ALLOWED_HEADER_KEYS.has(key))) {
      throw new InvalidAccessToken('unexpected token header');
    }
    let payload: Payload;
    try {
      payload = await this.jwt.verifyAsync<Payload>(token, {
        algorithms: [ALGORITHM],
        issuer: this.config.jwt.issuer,
        audience: this.config.jwt.audience,
        secret: this.config.jwt.secret,
      });
    } catch (error) {
      throw new InvalidAccessToken(error instanceof Error ? error.message : 'invalid token');
    }
    const { sub, role, scope, sid, client_id: clientId } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof scope !== 'string') {
      throw new InvalidAccessToken('missing claims');
    }
    if (clientId !== undefined && typeof clientId !== 'string') throw new InvalidAccessToken('malformed client_id');
    if (role !== 'user' && role !== 'admin') throw new InvalidAccessToken('unknown role');
    return {
      userId: sub,
      role,
      sessionId: sid,
      scopes: scopesOf(scope),
      ...(clientId === undefined ? {} : { clientId }),
    };
  }
}
