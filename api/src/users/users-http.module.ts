import { Module } from '@nestjs/common';
import { UsersController } from './users.controller.js';
import { UsersModule } from './users.module.js';

/** The profile routes at /users/me, on UsersModule's services. */
@Module({ imports: [UsersModule], controllers: [UsersController] })
export class UsersHttpModule {}
