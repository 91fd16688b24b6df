import { Module } from '@nestjs/common';
import { PostsController } from './posts.controller.js';
import { PostsService } from './posts.service.js';

/** Owns posts: the feed and writing (rendering goes through the ContentService). */
@Module({ controllers: [PostsController], providers: [PostsService], exports: [PostsService] })
export class PostsModule {}
