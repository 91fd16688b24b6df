import { Module } from '@nestjs/common';
import { PublicProfileController } from './public-profile.controller.js';
import { UsersController } from './users.controller.js';
import { UsersModule } from './users.module.js';

/** The profile routes at /users/me and authors' public profiles at /users/:id, on UsersModule's services. */
@Module({ imports: [UsersModule], controllers: [UsersController, PublicProfileController] })
export class UsersHttpModule {}
