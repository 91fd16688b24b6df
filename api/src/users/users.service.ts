import { Injectable, NotFoundException } from '@nestjs/common';
import { type PublicProfileDto, toPublicProfileDto } from './dto/public-profile.dto.js';
import { toUserDto, type UserDto } from './dto/user.dto.js';
import { UsersRepository } from './users.repository.js';

/**
 * The signed-in user's own profile, and authors' public ones. What combines the account with
 * passwords, tokens and sessions (password and address changes, sessions) is auth's
 * OwnAccountService.
 */
@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async me(userId: string): Promise<UserDto> {
    const profile = await this.users.findProfile(userId);
    // The guard saw the account live a moment ago; deleted since, it is gone for this caller too.
    if (!profile) throw new NotFoundException('No such user.');
    return toUserDto(profile);
  }

  async updateMe(userId: string, displayName: string): Promise<UserDto> {
    const user = await this.users.getById(userId);
    user.displayName = displayName;
    return toUserDto(await this.users.save(user));
  }

  /** What anyone may read about an active account; banned and unknown accounts are alike: 404. */
  async publicProfile(id: string): Promise<PublicProfileDto> {
    const profile = await this.users.findPublicProfile(id);
    if (!profile) throw new NotFoundException('No such user.');
    return toPublicProfileDto(profile);
  }
}
