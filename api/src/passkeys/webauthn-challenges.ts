import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { CEREMONY_MINUTES } from './relying-party.js';
import type { WebAuthnPurpose } from './webauthn-challenge.entity.js';

/** How many expired challenges one new challenge clears away, so no request pays for a backlog. */
const SWEEP_BATCH = 100;

/**
 * The challenges of WebAuthn ceremonies, in PostgreSQL so that the replica that checks an answer
 * need not be the one that issued the options. A challenge is good for one answer within
 * CEREMONY_MINUTES: taking it marks it used in the same statement that finds it, so two answers
 * racing for one challenge cannot both pass.
 */
@Injectable()
export class WebAuthnChallenges {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a challenge for `purpose` (and the account, except for a sign-in); answers its id. */
  async issue(purpose: WebAuthnPurpose, userId: string | null, challenge: string): Promise<string> {
    const id = uuidv7();
    await this.dataSource.query(
      `INSERT INTO webauthn_challenges (id, user_id, purpose, challenge, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5))`,
      [id, userId, purpose, challenge, CEREMONY_MINUTES],
    );
    // Expired challenges are worth nothing: whoever makes a new one clears a few away.
    await this.dataSource.query(
      `DELETE FROM webauthn_challenges
        WHERE id IN (SELECT id FROM webauthn_challenges WHERE expires_at < now() LIMIT $1)`,
      [SWEEP_BATCH],
    );
    return id;
  }

  /**
   * Takes the challenge `id` if it is for `purpose` and this account (null for a sign-in), unused
   * and unexpired: answers the challenge and marks it used, or null when there is none such.
   */
  async take(
    id: string,
    purpose: WebAuthnPurpose,
    userId: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string | null> {
    // UPDATE … RETURNING answers [rows, count].
    const [[row]] = await manager.query<[{ challenge: string }[], number]>(
      `UPDATE webauthn_challenges SET used_at = now(), updated_at = now()
        WHERE id = $1 AND purpose = $2 AND user_id IS NOT DISTINCT FROM $3
          AND used_at IS NULL AND expires_at > now()
        RETURNING challenge`,
      [id, purpose, userId],
    );
    return row?.challenge ?? null;
  }
}
