import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { ContentModule } from '../content/content.module.js';
import { PostsRepository } from './posts.repository.js';
import { PostsService } from './posts.service.js';

/**
 * Owns posts: the `posts` table, the feed, writing and moderation (rendering goes through the
 * ContentService; operators' changes are audited). Providers only: PostsHttpModule adds /posts.
 */
@Module({
  imports: [ContentModule, AuditModule],
  providers: [PostsRepository, PostsService],
  exports: [PostsRepository, PostsService],
})
export class PostsModule {}
