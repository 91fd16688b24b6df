import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { PublicProfileController } from './public-profile.controller.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/** Owns the signed-in user's own account endpoints (/users/me) and authors' public profiles (/users/:id). */
@Module({
  imports: [AuthModule],
  controllers: [UsersController, PublicProfileController],
  providers: [UsersService],
})
export class UsersModule {}
