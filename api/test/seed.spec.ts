import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config.js';
import { createDataSource } from '../src/database/data-source.js';
import { DEV_OPERATOR_EMAIL, seedOperator } from '../src/users/operator-seed.js';
import { PasswordHasher } from '../src/users/password-hasher.js';
import { User } from '../src/users/user.entity.js';
import { UsersRepository } from '../src/users/users.repository.js';
import { testEnv } from './support/app.js';
import { ensureMigrated } from './support/database.js';

describe('operator seed', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    await ensureMigrated();
    dataSource = await createDataSource(loadConfig(testEnv())).initialize();
  });
  afterAll(() => dataSource.destroy());

  /** The account's authenticator app as stored: its secret and whether it is confirmed. */
  const factorOf = async (email: string) => {
    const rows = await dataSource.query<{ secret: string; confirmed: boolean }[]>(
      `SELECT t.secret, t.confirmed_at IS NOT NULL AS confirmed FROM totp_factors t
         JOIN users u ON u.id = t.user_id WHERE lower(u.email) = lower($1)`,
      [email],
    );
    return rows[0] ?? null;
  };

  const operator = (email: string) =>
    dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOneOrFail();

  it('creates the admin from ADMIN_EMAIL / ADMIN_PASSWORD with an argon2id hash at the configured cost', async () => {
    const config = loadConfig(testEnv({ ADMIN_EMAIL: 'Ops@Example.com', ADMIN_PASSWORD: 'Correct-Horse-42' }));
    expect(
      await seedOperator(new UsersRepository(dataSource), new PasswordHasher(config.argon2), config, dataSource),
    ).toEqual({
      email: 'Ops@Example.com',
      created: true,
    });

    const user = await operator('ops@example.com');
    expect(user).toMatchObject({ role: 'admin', isActive: true });
    expect(user.emailVerifiedAt).toBeInstanceOf(Date);
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await new PasswordHasher(config.argon2).verify(user.passwordHash, 'Correct-Horse-42')).toBe(true);
    // Production operators set up their own app at their first sign-in to the panel.
    expect(await factorOf('ops@example.com')).toBeNull();
  });

  it('is idempotent and never resets an existing account', async () => {
    const config = loadConfig(testEnv({ ADMIN_EMAIL: 'OPS@example.com', ADMIN_PASSWORD: 'Another-Password-7' }));
    expect(
      await seedOperator(new UsersRepository(dataSource), new PasswordHasher(config.argon2), config, dataSource),
    ).toEqual({
      email: 'Ops@Example.com',
      created: false,
    });
    const user = await operator('ops@example.com');
    expect(await new PasswordHasher(config.argon2).verify(user.passwordHash, 'Correct-Horse-42')).toBe(true);
  });

  it('in development generates a strong password and a TOTP secret once, keeps them private in DATA_DIR and reuses them', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'nuell-seed-'));
    const config = loadConfig(testEnv({ NODE_ENV: 'development', DATA_DIR: dataDir }));

    const first = await seedOperator(
      new UsersRepository(dataSource),
      new PasswordHasher(config.argon2),
      config,
      dataSource,
    );
    expect(first).toMatchObject({ email: DEV_OPERATOR_EMAIL, created: true });
    expect(first.generatedPassword).toMatch(/^[\w-]{24}$/);
    const file = join(dataDir, 'operator.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const kept = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(kept).toEqual({
      email: DEV_OPERATOR_EMAIL,
      password: first.generatedPassword,
      totpSecret: expect.any(String),
    });
    expect(kept.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(first.enrolledTotpSecret).toBe(kept.totpSecret);
    // The operator is enrolled with it: the panel asks for its codes.
    expect(await factorOf(DEV_OPERATOR_EMAIL)).toEqual({ secret: kept.totpSecret, confirmed: true });

    expect(
      await seedOperator(new UsersRepository(dataSource), new PasswordHasher(config.argon2), config, dataSource),
    ).toEqual({
      email: DEV_OPERATOR_EMAIL,
      created: false,
    });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(kept);
    const user = await operator(DEV_OPERATOR_EMAIL);
    expect(await new PasswordHasher(config.argon2).verify(user.passwordHash, first.generatedPassword!)).toBe(true);
  });

  it('in development gives a file from before a TOTP secret, and enrols an operator that has no app', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'nuell-seed-'));
    const config = loadConfig(testEnv({ NODE_ENV: 'development', DATA_DIR: dataDir }));
    const file = join(dataDir, 'operator.json');
    const email = `legacy-operator-${Date.now()}@example.test`;
    await writeFile(file, JSON.stringify({ email, password: 'Legacy-Password-42' }), { mode: 0o600 });

    const seeded = await seedOperator(
      new UsersRepository(dataSource),
      new PasswordHasher(config.argon2),
      config,
      dataSource,
    );
    const kept = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(kept).toEqual({
      email,
      password: 'Legacy-Password-42',
      totpSecret: expect.stringMatching(/^[A-Z2-7]{32}$/),
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(seeded).toEqual({ email, created: true, enrolledTotpSecret: kept.totpSecret });

    // The account lost its app (an operator reset it): the next seed enrols it again, with the kept secret.
    await dataSource.query('DELETE FROM totp_factors WHERE user_id = (SELECT id FROM users WHERE email = $1)', [email]);
    const again = await seedOperator(
      new UsersRepository(dataSource),
      new PasswordHasher(config.argon2),
      config,
      dataSource,
    );
    expect(again).toEqual({ email, created: false, enrolledTotpSecret: kept.totpSecret });
    const factor = await factorOf(email);
    expect(factor).toEqual({ secret: kept.totpSecret, confirmed: true });
    // The secret gives the codes an app shows, as the README's one-liner computes them.
    const code = new TOTP({ secret: Secret.fromBase32(kept.totpSecret!) }).generate();
    expect(code).toMatch(/^\d{6}$/);

    // An app the operator set up by hand since is left alone.
    await dataSource.query(
      'UPDATE totp_factors SET secret = $2 WHERE user_id = (SELECT id FROM users WHERE email = $1)',
      [email, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'],
    );
    expect(
      await seedOperator(new UsersRepository(dataSource), new PasswordHasher(config.argon2), config, dataSource),
    ).toEqual({
      email,
      created: false,
    });
    expect((await factorOf(email))?.secret).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  });

  it('never enrols an operator seeded from ADMIN_EMAIL / ADMIN_PASSWORD, nor writes a secret anywhere', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'nuell-seed-'));
    const email = `prod-operator-${Date.now()}@example.test`;
    const config = loadConfig(
      testEnv({
        NODE_ENV: 'production',
        SMTP_URL: 'smtp://mail.example:587',
        DATA_DIR: dataDir,
        ADMIN_EMAIL: email,
        ADMIN_PASSWORD: 'Correct-Horse-42',
      }),
    );
    expect(
      await seedOperator(new UsersRepository(dataSource), new PasswordHasher(config.argon2), config, dataSource),
    ).toEqual({
      email,
      created: true,
    });
    expect(await factorOf(email)).toBeNull();
    await expect(stat(join(dataDir, 'operator.json'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses to invent credentials in production', async () => {
    const config = loadConfig(testEnv({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example:587' }));
    await expect(
      seedOperator(new UsersRepository(dataSource), new PasswordHasher(config.argon2), config, dataSource),
    ).rejects.toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD/);
  });
});
