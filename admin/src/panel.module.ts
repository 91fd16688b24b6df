import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminModule } from '@adminjs/nestjs';
import { DataSource } from 'typeorm';
import {
  ConfigModule,
  dataSourceOptions,
  MailQueueService,
  OAuthClientsService,
  OperatorAccountService,
  OpsHealthService,
  PersonalAccessTokensService,
  PostsRepository,
  PostsService,
  SecondFactors,
  SessionsRepository,
  SigningKeysService,
  UsersRepository,
} from '@nuell/api';
import { adminOptions } from './admin-options.js';
import type { PanelConfig } from './config.js';
import { HealthController } from './health.controller.js';
import { PanelLoader } from './panel-loader.js';
import { PanelServicesModule } from './panel-services.module.js';
import { operatorApps, operatorSigningKeys } from './third-party-adapters.js';

export interface PanelModuleOptions {
  /** Serve the prebuilt production bundles (admin/.adminjs/assets) instead of AdminJS's own. */
  readonly prebuilt: boolean;
}

/** The control panel: AdminJS on the API's entities and services, and health probes. */
@Module({})
export class PanelModule {
  static forRoot(config: PanelConfig, options: PanelModuleOptions): DynamicModule {
    return {
      module: PanelModule,
      imports: [
        ConfigModule.forRoot(config.api),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.api), retryAttempts: 5, retryDelay: 2_000 }),
        AdminModule.createAdminAsync({
          imports: [PanelServicesModule.forRoot(config)],
          inject: [
            DataSource,
            OperatorAccountService,
            SecondFactors,
            PostsService,
            UsersRepository,
            PostsRepository,
            SessionsRepository,
            MailQueueService,
            OpsHealthService,
            PersonalAccessTokensService,
            OAuthClientsService,
            SigningKeysService,
          ],
          useFactory: (
            dataSource: DataSource,
            accounts: OperatorAccountService,
            secondFactors: SecondFactors,
            posts: PostsService,
            users: UsersRepository,
            postsRepository: PostsRepository,
            sessions: SessionsRepository,
            mail: MailQueueService,
            ops: OpsHealthService,
            tokens: PersonalAccessTokensService,
            clients: OAuthClientsService,
            signingKeys: SigningKeysService,
          ) => ({
            adminJsOptions: adminOptions(
              config,
              {
                dataSource,
                accounts,
                secondFactors,
                posts,
                mail,
                ops,
                tokens,
                apps: operatorApps(clients),
                signingKeys: operatorSigningKeys(dataSource, signingKeys),
                repositories: { users, posts: postsRepository, sessions },
              },
              options.prebuilt,
            ),
          }),
          customLoader: PanelLoader,
        }),
      ],
      controllers: [HealthController],
    };
  }
}
