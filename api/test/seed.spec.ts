import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  const operator = (email: string) =>
    dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOneOrFail();

  it('creates the admin from ADMIN_EMAIL / ADMIN_PASSWORD with an argon2id hash at the configured cost', async () => {
    const config = loadConfig(testEnv({ ADMIN_EMAIL: 'Ops@Example.com', ADMIN_PASSWORD: 'Correct-Horse-42' }));
    expect(await seedOperator(new UsersRepository(dataSource), new PasswordHasher(config.argon2), config)).toEqual({
      email: 'Ops@Example.com',
      created: true,
    });

    const user = await operator('ops@example.com');
    expect(user).toMatchObject({ role: 'admin', isActive: true });
    expect(user.emailVerifiedAt).toBeInstanceOf(Date);
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await new PasswordHasher(config.argon2).verify(user.passwordHash, 'Correct-Horse-42')).toBe(true);
  });

  it('is idempotent and never resets an existing account', async () => {
    const config = loadConfig(testEnv({ ADMIN_EMAIL: 'OPS@example.com', ADMIN_PASSWORD: 'Another-Password-7' }));
    expect(await seedOperator(new UsersRepository(dataSource), new PasswordHasher(config.argon2), config)).toEqual({
      email: 'Ops@Example.com',
      created: false,
    });
    const user = await operator('ops@example.com');
    expect(await new PasswordHasher(config.argon2).verify(user.passwordHash, 'Correct-Horse-42')).toBe(true);
  });

  it('in development generates a strong password once, keeps it private in DATA_DIR and reuses it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'nuell-seed-'));
    const config = loadConfig(testEnv({ NODE_ENV: 'development', DATA_DIR: dataDir }));

    const first = await seedOperator(new UsersRepository(dataSource), new PasswordHasher(config.argon2), config);
    expect(first).toMatchObject({ email: DEV_OPERATOR_EMAIL, created: true });
    expect(first.generatedPassword).toMatch(/^[\w-]{24}$/);
    const file = join(dataDir, 'operator.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      email: DEV_OPERATOR_EMAIL,
      password: first.generatedPassword,
    });

    expect(await seedOperator(new UsersRepository(dataSource), new PasswordHasher(config.argon2), config)).toEqual({
      email: DEV_OPERATOR_EMAIL,
      created: false,
    });
    const user = await operator(DEV_OPERATOR_EMAIL);
    expect(await new PasswordHasher(config.argon2).verify(user.passwordHash, first.generatedPassword!)).toBe(true);
  });

  it('refuses to invent credentials in production', async () => {
    const config = loadConfig(testEnv({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example:587' }));
    await expect(
      seedOperator(new UsersRepository(dataSource), new PasswordHasher(config.argon2), config),
    ).rejects.toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD/);
  });
});
