import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DestinationStream } from 'pino';
import type { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { servingDataSourceOptions } from './database/data-source.js';
import { AuthModule } from './auth/auth.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { PostsModule } from './posts/posts.module.js';
import { UsersModule } from './users/users.module.js';
import { LoggingModule } from './logging/logging.module.js';

export interface AppModuleOptions {
  /** Where logs go instead of stdout (tests read them). */
  readonly logStream?: DestinationStream;
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
        LoggingModule.forRoot(config, options.logStream),
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
