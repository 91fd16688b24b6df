/**
 * The refusals of the account flows, as the HTTP errors their services raise. Repositories report
 * plain outcomes (null, false, a count, or a domain error such as EmailInUse) and the services
 * decide what the client is told.
 */
import { BadRequestException, ConflictException } from '@nestjs/common';
import { EmailInUse } from '../users/users.repository.js';

export class EmailTaken extends ConflictException {
  constructor() {
    super('An account with this e-mail address already exists.');
  }
}

export class InvalidAccountToken extends BadRequestException {
  constructor() {
    super('This link is invalid, expired or already used. Ask for a new one.');
  }
}

/** The write, with an address that another account holds answered as EmailTaken (409). */
export async function claimingEmail<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof EmailInUse) throw new EmailTaken();
    throw error;
  }
}

/** A change that would leave the service without an operator, or that does not apply to the account. */
export class AccountChangeRefused extends ConflictException {}
