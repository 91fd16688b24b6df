import { Module } from '@nestjs/common';
import { ContentModule } from '../content/content.module.js';
import { PostsController } from './posts.controller.js';
import { PostsRepository } from './posts.repository.js';
import { PostsService } from './posts.service.js';

/** Owns posts: the `posts` table, the feed and writing (rendering goes through the ContentService). */
@Module({
  imports: [ContentModule],
  controllers: [PostsController],
  providers: [PostsRepository, PostsService],
  exports: [PostsRepository, PostsService],
})
export class PostsModule {}
