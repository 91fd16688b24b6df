/**
 * Step-up: sensitive changes (e-mail, password, second factors, passkeys, deleting the account)
 * need the session's owner to have proven presence recently, not only to hold a valid access
 * token. A proof is a step-up (POST /users/me/step-up) with the password, an authenticator code
 * or a passkey; it is written on the session (`sessions.proven_at`), so it holds on every replica
 * and ends with the session. Signing in is not one: an access token taken from a fresh session
 * (or handed to a script) must not be enough to delete the account or replace its factors.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { TypedProblem } from '../http/problem.js';

/** How long a proof of presence lets sensitive changes through. */
export const STEP_UP_WINDOW_MINUTES = 10;
const WINDOW_MS = STEP_UP_WINDOW_MINUTES * 60_000;

/** 403 `step-up-required`: prove presence (POST /users/me/step-up) and try again. */
export class StepUpRequired extends TypedProblem {
  constructor() {
    super(
      403,
      'step-up-required',
      `Confirm it is you first: enter your password, a code from your authenticator app or use a passkey. ` +
        `A confirmation lasts ${STEP_UP_WINDOW_MINUTES} minutes.`,
    );
  }
}

@Injectable()
export class StepUp {
  constructor(private readonly dataSource: DataSource) {}

  /** Records a proof of presence now for the session (the family); answers when it lapses. */
  async prove(sessionId: string, manager: EntityManager = this.dataSource.manager): Promise<Date> {
    // UPDATE … RETURNING answers [rows, count].
    const [[row]] = await manager.query<[{ proven_at: Date }[], number]>(
      `UPDATE sessions SET proven_at = now()
        WHERE family_id = $1 AND revoked_at IS NULL AND replaced_by IS NULL
        RETURNING proven_at`,
      [sessionId],
    );
    const provenAt = row?.proven_at ?? new Date();
    return new Date(provenAt.getTime() + WINDOW_MS);
  }

  /** When the session's last proof lapses (or lapsed); null when it never proved anything. */
  async provenUntil(sessionId: string, manager: EntityManager = this.dataSource.manager): Promise<Date | null> {
    const [row] = await manager.query<{ proven_at: Date | null }[]>(
      `SELECT max(proven_at) AS proven_at FROM sessions WHERE family_id = $1`,
      [sessionId],
    );
    return row?.proven_at ? new Date(row.proven_at.getTime() + WINDOW_MS) : null;
  }

  /** Throws StepUpRequired unless the session proved presence within the window. */
  async assertRecent(sessionId: string, manager?: EntityManager): Promise<void> {
    const until = await this.provenUntil(sessionId, manager);
    if (!until || until.getTime() <= Date.now()) throw new StepUpRequired();
  }
}
