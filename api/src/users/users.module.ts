import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PasswordHasher } from './password-hasher.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

/**
 * Owns accounts: the `users` table, password hashing and rules, the profile. Providers only, so
 * the control panel can import it without mounting routes; UsersHttpModule adds /users/me.
 * Depends on nothing but configuration: authentication builds on it, never the reverse.
 */
@Module({
  providers: [
    UsersRepository,
    UsersService,
    {
      provide: PasswordHasher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new PasswordHasher(config.argon2),
    },
  ],
  exports: [UsersRepository, UsersService, PasswordHasher],
})
export class UsersModule {}
