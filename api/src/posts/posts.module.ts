import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { ContentModule } from '../content/content.module.js';
import { MailModule } from '../mail/mail.module.js';
import { UsersModule } from '../users/users.module.js';
import { PostsRepository } from './posts.repository.js';
import { PostsService } from './posts.service.js';

/**
 * Owns posts: the `posts` table, the feed, writing and moderation (rendering goes through the
 * ContentService; operators' changes are audited, and the author is e-mailed when an operator
 * hides or restores their post). Providers only: PostsHttpModule adds /posts.
 */
@Module({
  imports: [ContentModule, AuditModule, MailModule, UsersModule],
  providers: [PostsRepository, PostsService],
  exports: [PostsRepository, PostsService],
})
export class PostsModule {}
