import { Module } from '@nestjs/common';
import { PostsController } from './posts.controller.js';
import { PostsModule } from './posts.module.js';

/** The /posts routes, on PostsModule's services. */
@Module({ imports: [PostsModule], controllers: [PostsController] })
export class PostsHttpModule {}
