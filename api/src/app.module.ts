import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { servingDataSourceOptions } from './database/data-source.js';
import { AuthModule } from './auth/auth.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { PostsModule } from './posts/posts.module.js';
import { UsersModule } from './users/users.module.js';

export interface AppModuleOptions {
  /** Extra modules mounted next to the features (tests mount probes here). */
  readonly extraModules?: readonly Type[];
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({ ...servingDataSourceOptions(config), retryAttempts: 5, retryDelay: 2_000 }),
        HealthModule,
        MetricsModule,
        AuthModule,
        UsersModule,
        PostsModule,
        ...(options.extraModules ?? []),
      ],
    };
  }
}
