import type { EntityManager } from 'typeorm';
import { User } from './user.entity.js';

/** The form of an address that look-ups and per-account limits use: no surrounding blanks, lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Look-ups by e-mail go through lower(email), matching the unique index. */
export function findUserByEmail(
  manager: EntityManager,
  email: string,
  options: { withPasswordHash?: boolean } = {},
): Promise<User | null> {
  const query = manager.getRepository(User).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email });
  if (options.withPasswordHash) query.addSelect('u.passwordHash');
  return query.getOne();
}

export function findUserWithHash(manager: EntityManager, id: string): Promise<User | null> {
  return manager
    .getRepository(User)
    .createQueryBuilder('u')
    .addSelect('u.passwordHash')
    .where('u.id = :id', { id })
    .getOne();
}

/** PostgreSQL's unique_violation, e.g. two sign-ups racing for one address. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
