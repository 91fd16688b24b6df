import { Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import {
  AuditModule,
  AuthModule,
  MailModule,
  OAuthModule,
  OpsModule,
  PostsModule,
  TokensModule,
  UsersModule,
} from '@nuell/api';
import type { PanelConfig } from './config.js';
import { panelSessions, type PanelSessions } from './auth/panel-session.js';

export const PANEL_CONFIG = Symbol('PANEL_CONFIG');
export const PANEL_SESSIONS = Symbol('PANEL_SESSIONS');

/** Closes the session store's pool when the panel stops. */
class SessionsCloser implements OnApplicationShutdown {
  constructor(@Inject(PANEL_SESSIONS) private readonly sessions: PanelSessions) {}

  async onApplicationShutdown(): Promise<void> {
    await this.sessions.close();
  }
}

/**
 * What the panel's pieces are built from: the API's provider modules (accounts, sign-in and second
 * factors, posts, audit, the e-mail queue, personal access tokens, apps and signing keys), the panel's configuration and its session store. AdminJS's module imports it to build
 * the resources and the loader.
 */
@Module({})
export class PanelServicesModule {
  static forRoot(config: PanelConfig): DynamicModule {
    const logger = new Logger('PanelSessions');
    // The panel signs operators in and works the e-mail queue too: its counters are sampled as well.
    const ops = OpsModule.forRoot('panel');
    return {
      module: PanelServicesModule,
      global: false,
      imports: [AuthModule, UsersModule, PostsModule, AuditModule, MailModule, TokensModule, OAuthModule, ops],
      providers: [
        { provide: PANEL_CONFIG, useValue: config },
        {
          provide: PANEL_SESSIONS,
          useFactory: () =>
            panelSessions(config, (message, error) => {
              logger.error({ err: error }, message);
            }),
        },
        SessionsCloser,
      ],
      exports: [
        PANEL_CONFIG,
        PANEL_SESSIONS,
        AuthModule,
        UsersModule,
        PostsModule,
        AuditModule,
        MailModule,
        TokensModule,
        OAuthModule,
        ops,
      ],
    };
  }
}
