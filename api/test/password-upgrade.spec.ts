import { DataSource } from 'typeorm';
import { PasswordHasher } from '../src/users/password-hasher.js';
import { login, PASSWORD, register } from './support/accounts.js';
import { useTestApp } from './support/app.js';

describe('argon2 parameters', () => {
  const api = useTestApp({ env: { ARGON2_TIME_COST: '3', ARGON2_MEMORY_KIB: '24576' } });

  it('come from configuration, and an older hash is upgraded at the next successful sign-in', async () => {
    const db = api.app.get(DataSource);
    const hashOf = async (id: string) =>
      (await db.query<{ password_hash: string }[]>('SELECT password_hash FROM users WHERE id = $1', [id]))[0]!
        .password_hash;

    const account = await register(api.url);
    expect(await hashOf(account.id)).toMatch(/^\$argon2id\$v=19\$m=24576,p=1,t=3\$/);

    // As if the account predates the cost increase.
    const old = await new PasswordHasher({ memoryCost: 19456, timeCost: 2, parallelism: 1, concurrency: 1 }).hash(
      PASSWORD,
    );
    await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [account.id, old]);

    await expect(login(api.url, { ...account, password: 'Wrong-Password-99' })).rejects.toThrow(/401/);
    expect(await hashOf(account.id)).toBe(old); // a failed attempt changes nothing

    await login(api.url, account);
    const upgraded = await hashOf(account.id);
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=24576,p=1,t=3\$/);
    await expect(login(api.url, account)).resolves.toBeDefined();
  });
});
