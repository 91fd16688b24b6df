/**
 * `node dist/cli/main.js migrate | revert | seed | rerender`: the database commands behind
 * `npm run db:migrate`, `db:revert`, `db:seed` and `posts:rerender`, an entry point of its own
 * beside the server's (main.ts). Several run in a row in one process (`migrate seed`, as
 * `npm start` does). Exit code 0 on success, 1 on failure.
 */
import 'reflect-metadata';
import { MigrationExecutor } from 'typeorm';
import { ConfigError, loadConfig } from '../config/config.js';
import { ContentService } from '../content/content.service.js';
import { createDataSource } from '../database/data-source.js';
import { migrate } from '../database/migrate.js';
import { PostsRepository } from '../posts/posts.repository.js';
import { rerenderPosts } from '../posts/rerender.js';
import { seedOperator } from '../users/operator-seed.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { UsersRepository } from '../users/users.repository.js';
import { ProgressLine } from './progress-line.js';

const COMMANDS = ['migrate', 'revert', 'seed', 'rerender'] as const;
type Command = (typeof COMMANDS)[number];

async function run(command: Command): Promise<void> {
  const config = loadConfig();
  const dataSource = await createDataSource(config).initialize();
  try {
    if (command === 'migrate') {
      const applied = await migrate(dataSource);
      console.log(applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'database is up to date');
    } else if (command === 'revert') {
      const executed = await new MigrationExecutor(dataSource).getExecutedMigrations();
      const last = executed.sort((a, b) => b.timestamp - a.timestamp)[0];
      if (!last) {
        console.log('no migration to revert');
      } else {
        await dataSource.undoLastMigration({ transaction: 'each' });
        console.log(`reverted ${last.name}`);
      }
    } else if (command === 'rerender') {
      const progress = new ProgressLine('re-rendering posts');
      const { done, total } = await rerenderPosts(new PostsRepository(dataSource), new ContentService(config), {
        onProgress: (p) => {
          progress.update(p);
        },
      });
      progress.finish(
        total === 0 ? 'every post is rendered by the current version' : `re-rendered ${done} of ${total} posts`,
      );
    } else {
      const hasher = new PasswordHasher(config.argon2);
      const result = await seedOperator(new UsersRepository(dataSource), hasher, config, dataSource);
      if (!result.created) console.log(`operator account ${result.email} already exists`);
      else if (result.generatedPassword) {
        console.log(`created operator account ${result.email} with password ${result.generatedPassword}`);
        console.log(`(kept in ${config.dataDir}/operator.json; change it after signing in)`);
      } else console.log(`created operator account ${result.email} from ADMIN_EMAIL / ADMIN_PASSWORD`);
      // Development only: the control panel asks operators for a code from an authenticator app.
      if (result.enrolledTotpSecret) {
        console.log(
          `enrolled ${result.email} in two-step sign-in with the TOTP secret ${result.enrolledTotpSecret} (kept in ${config.dataDir}/operator.json as totpSecret)`,
        );
      }
    }
  } finally {
    await dataSource.destroy();
  }
}

// Several commands run one after the other in one process (`migrate seed`, as npm start does).
const commands = process.argv.slice(2);
if (commands.length === 0 || !commands.every((command) => COMMANDS.includes(command as Command))) {
  console.error(`usage: main.js <${COMMANDS.join('|')}> [...]`);
  process.exit(2);
}
for (const command of commands) {
  try {
    await run(command as Command);
  } catch (error) {
    console.error(`db:${command} failed: ${error instanceof ConfigError ? error.message : String(error)}`);
    process.exit(1);
  }
}
