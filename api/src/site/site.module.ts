import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module.js';
import { UsersModule } from '../users/users.module.js';
import { SiteRoutes } from './site.routes.js';
import { SiteService } from './site.service.js';
import { WebShell } from './web-shell.js';

/**
 * The site around the web app: its public pages with their own head (what a shared link shows),
 * the RSS feeds and the sitemap, read through the posts' and the profiles' public reads only.
 */
@Module({
  imports: [PostsModule, UsersModule],
  providers: [WebShell, SiteService, SiteRoutes],
})
export class SiteModule {}
