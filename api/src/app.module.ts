import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { servingDataSourceOptions } from './database/data-source.js';
import { AuthHttpModule } from './auth/auth-http.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { LiveModule } from './live/live.module.js';
import { MetricsHttpModule } from './metrics/metrics-http.module.js';
import { OAuthHttpModule } from './oauth/oauth-http.module.js';
import { OpsModule } from './ops/ops.module.js';
import { PasskeysHttpModule } from './passkeys/passkeys-http.module.js';
import { PostsHttpModule } from './posts/posts-http.module.js';
import { ReadCacheModule } from './read-cache/read-cache.module.js';
import { SiteModule } from './site/site.module.js';
import { TokensHttpModule } from './tokens/tokens-http.module.js';
import { UsersHttpModule } from './users/users-http.module.js';

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
        EventsModule,
        HealthModule,
        MetricsHttpModule,
        OpsModule.forRoot('api'),
        AuthHttpModule,
        PasskeysHttpModule,
        OAuthHttpModule,
        TokensHttpModule,
        UsersHttpModule,
        PostsHttpModule,
        ReadCacheModule,
        LiveModule,
        SiteModule,
        ...(options.extraModules ?? []),
      ],
    };
  }
}
