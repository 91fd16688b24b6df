import { Module } from '@nestjs/common';
import { OwnPostsController } from './own-posts.controller.js';
import { PostsController } from './posts.controller.js';
import { PostsModule } from './posts.module.js';

/** The /posts routes and the caller's own list at /users/me/posts, on PostsModule's services. */
@Module({ imports: [PostsModule], controllers: [PostsController, OwnPostsController] })
export class PostsHttpModule {}
