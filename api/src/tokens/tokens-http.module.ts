import { Module } from '@nestjs/common';
import { PersonalAccessTokensController } from './personal-access-tokens.controller.js';
import { TokensModule } from './tokens.module.js';

/** The routes of personal access tokens, under /users/me/tokens. */
@Module({ imports: [TokensModule], controllers: [PersonalAccessTokensController] })
export class TokensHttpModule {}
