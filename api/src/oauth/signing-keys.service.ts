import { Injectable } from '@nestjs/common';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { DataSource, MoreThan } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AuditRepository } from '../audit/audit.repository.js';
import { SigningKey } from './signing-key.entity.js';

export const ID_TOKEN_ALG = 'ES256';
const DAY_MS = 86_400_000;
/** How long one key signs before the next takes over. */
export const KEY_SIGNS_FOR_MS = 30 * DAY_MS;
/** How long a key stays published after it stops signing: past every ID token (15 min) it signed, with room for caches. */
export const KEY_PUBLISHED_AFTER_MS = DAY_MS;
/** Two replicas must not both start a key at once: one waits for the other's. */
const KEY_LOCK = 24_001;

/**
 * The ES256 keys that sign ID tokens, kept in the database so that every replica signs with the
 * same key and publishes the same JWKS. A key signs for 30 days; then the next signing asks for a
 * new one, and the old one stays in the JWKS until every token it signed has expired (rotation
 * with overlap), so relying parties that cached the JWKS keep verifying. `rotate()` starts a new
 * key at once (the panel's button, or after a leak).
 */
@Injectable()
export class SigningKeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditRepository,
  ) {}

  /** Signs `claims` as a JWT with the current key (starting one when there is none). */
  async sign(claims: Record<string, unknown>): Promise<string> {
    const key = await this.current();
    const privateKey = await importJWK(key.privateJwk as JWK, ID_TOKEN_ALG);
    return new SignJWT(claims).setProtectedHeader({ alg: ID_TOKEN_ALG, kid: key.kid, typ: 'JWT' }).sign(privateKey);
  }

  /** The public keys relying parties verify with: every key still published, newest first. */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.current(); // the first discovery publishes a key even before anything was signed
    const keys = await this.dataSource
      .getRepository(SigningKey)
      .find({ where: { retireAfter: MoreThan(new Date()) }, order: { createdAt: 'DESC' } });
    return { keys: keys.map((k) => k.publicJwk as JWK) };
  }

  /**
   * Starts a new key now: the current one stops signing and stays published for a day. Audited with
   * the operator as the actor; answers the new key's id.
   */
  async rotate(actorId: string | null = null): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      await manager.query(
        `UPDATE signing_keys SET signs_until = now(), retire_after = now() + $1 * interval '1 millisecond',
                updated_at = now()
          WHERE signs_until > now()`,
        [KEY_PUBLISHED_AFTER_MS],
      );
      const key = await this.create();
      await manager.save(key);
      await this.audit.record(
        'signing_key_rotated',
        { actorId, target: { type: 'signing_key', id: key.id }, data: { kid: key.kid } },
        manager,
      );
      return key.kid;
    });
  }

  private async current(): Promise<SigningKey> {
    const found = await this.signing();
    if (found) return found;
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      const raced = await this.signing(manager);
      if (raced) return raced;
      return manager.save(await this.create());
    });
  }

  private signing(manager = this.dataSource.manager): Promise<SigningKey | null> {
    return manager
      .getRepository(SigningKey)
      .createQueryBuilder('k')
      .addSelect('k.privateJwk')
      .where('k.signsUntil > now()')
      .orderBy('k.createdAt', 'DESC')
      .getOne();
  }

  private async create(): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair(ID_TOKEN_ALG, { extractable: true });
    const kid = uuidv7();
    const now = Date.now();
    const key = new SigningKey();
    key.kid = kid;
    key.alg = ID_TOKEN_ALG;
    key.privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ID_TOKEN_ALG, use: 'sig' };
    key.publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ID_TOKEN_ALG, use: 'sig' };
    key.signsUntil = new Date(now + KEY_SIGNS_FOR_MS);
    key.retireAfter = new Date(now + KEY_SIGNS_FOR_MS + KEY_PUBLISHED_AFTER_MS);
    return key;
  }
}
