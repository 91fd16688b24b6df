import { Injectable, NotFoundException } from '@nestjs/common';
import { NIL } from 'uuid';
import { isUuid } from '../http/uuid-param.js';
import { type PublicProfileDto, toPublicProfileDto } from './dto/public-profile.dto.js';
import { toUserDto, type UserDto } from './dto/user.dto.js';
import { UsersRepository } from './users.repository.js';

/** What a user may change of their profile; undefined leaves a field as it is. */
export interface ProfileChanges {
  readonly displayName?: string | undefined;
  readonly bio?: string | null | undefined;
  readonly link?: string | null | undefined;
}

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

  /** Changes what was sent of the caller's name, bio and link; null removes a bio or a link. */
  async updateMe(userId: string, changes: ProfileChanges): Promise<UserDto> {
    const user = await this.users.getById(userId);
    if (changes.displayName !== undefined) user.displayName = changes.displayName;
    if (changes.bio !== undefined) user.bio = changes.bio;
    if (changes.link !== undefined) user.link = changes.link;
    return toUserDto(await this.users.save(user));
  }

  /** What anyone may read about an active account; suspended and unknown accounts are alike: 404. */
  async publicProfile(id: string): Promise<PublicProfileDto> {
    const profile = await this.findPublicProfile(id);
    if (!profile) throw new NotFoundException('No such user.');
    return profile;
  }

  /** An active account's public profile; null for anything else (a suspended account, an id that is none). */
  async findPublicProfile(id: string): Promise<PublicProfileDto | null> {
    const row = isUuid(id) ? await this.users.findPublicProfile(id) : undefined;
    return row ? toPublicProfileDto(row) : null;
  }

  /** The id of every active account that has published a post: the authors whose pages are worth listing. */
  async *walkActiveAuthors(batchSize = 1000): AsyncGenerator<string> {
    let after: string = NIL; // below every id
    for (;;) {
      const ids = await this.users.activeAuthorsAfter(after, batchSize);
      yield* ids;
      const last = ids[ids.length - 1];
      if (!last || ids.length < batchSize) return;
      after = last;
    }
  }
}
