import { Injectable } from '@nestjs/common';
import { UserDto } from './dto/user.dto.js';
import { UsersRepository } from './users.repository.js';

/**
 * The signed-in user's own profile. What combines the account with passwords, tokens and
 * sessions (password and address changes, sessions) is auth's AccountService.
 */
@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async me(userId: string): Promise<UserDto> {
    return UserDto.from(await this.users.getById(userId));
  }

  async updateMe(userId: string, displayName: string): Promise<UserDto> {
    const user = await this.users.getById(userId);
    user.displayName = displayName;
    return UserDto.from(await this.users.save(user));
  }
}
