/**
 * MFA tickets: a right password on an account with a second factor earns a ticket instead of a
 * session. The ticket is opaque (256 random bits, stored as SHA-256), lives five minutes, allows
 * five wrong codes, and is spent by the sign-in it completes: replaying it, even with a new code,
 * starts nothing. Stored in PostgreSQL, so the second step may reach any replica.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ValidationProblem } from '../http/problem.js';
import { hashToken, newOpaqueToken } from '../auth/opaque-token.js';
import { MfaTicketInvalid } from './mfa-errors.js';
import { MfaTicket } from './mfa-ticket.entity.js';

export const MFA_TICKET_MINUTES = 5;
export const MFA_TICKET_MAX_FAILURES = 5;

@Injectable()
export class MfaTickets {
  constructor(private readonly dataSource: DataSource) {}

  async issue(userId: string): Promise<{ ticket: string; expiresAt: Date }> {
    const ticket = newOpaqueToken();
    const expiresAt = new Date(Date.now() + MFA_TICKET_MINUTES * 60_000);
    const tickets = this.dataSource.getRepository(MfaTicket);
    await tickets.save(tickets.create({ userId, tokenHash: hashToken(ticket), expiresAt }));
    // Spent and expired tickets are worth nothing: keep the table small.
    await this.dataSource.query(`DELETE FROM mfa_tickets WHERE expires_at < now() - interval '1 hour'`);
    return { ticket, expiresAt };
  }

  /**
   * Runs `check` (the second step) for the ticket's account and spends the ticket when it passes.
   * A wrong code (`check` throws a ValidationProblem) counts against the ticket; anything else a
   * refusal of the ticket itself.
   */
  async redeem<T>(ticket: string, check: (userId: string) => Promise<T>): Promise<{ userId: string; result: T }> {
    const tokenHash = hashToken(ticket);
    const [live] = await this.dataSource.query<{ id: string; user_id: string }[]>(
      `SELECT id, user_id FROM mfa_tickets
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() AND failures < $2`,
      [tokenHash, MFA_TICKET_MAX_FAILURES],
    );
    if (!live) throw new MfaTicketInvalid();
    let result: T;
    try {
      result = await check(live.user_id);
    } catch (error) {
      if (error instanceof ValidationProblem) {
        await this.dataSource.query(`UPDATE mfa_tickets SET failures = failures + 1 WHERE id = $1`, [live.id]);
      }
      throw error;
    }
    const [, spent] = await this.dataSource.query<[unknown, number]>(
      `UPDATE mfa_tickets SET used_at = now(), updated_at = now() WHERE id = $1 AND used_at IS NULL`,
      [live.id],
    );
    if (spent !== 1) throw new MfaTicketInvalid(); // a parallel request spent it first
    return { userId: live.user_id, result };
  }
}
