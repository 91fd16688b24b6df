import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { PostDto } from '../posts/dto/posts.dto.js';
import { PostsService } from '../posts/posts.service.js';
import type { PublicProfileDto } from '../users/dto/public-profile.dto.js';
import { UsersService } from '../users/users.service.js';
import { type FeedItem, renderRss, renderSitemap, SITEMAP_MAX_URLS, type SitemapEntry } from './feeds.js';
import { type PageHead, renderHead, renderNotFoundHead } from './head.js';
import { summary } from './markup.js';
import type { Shell } from './shell.js';
import { WebShell } from './web-shell.js';

/** A page of the site: the web app's page with its head filled in, and its status. */
export interface SitePage {
  readonly status: 200 | 404;
  readonly html: string;
}

/** How many posts a feed carries: the newest, as the web app's first page of the feed. */
export const FEED_ITEMS = 20;
/** A post without a title is named by the start of its text, cut at a word. */
const UNTITLED_CHARS = 70;

/** A post's name where one must be shown: its title, else the start of its text. */
function headline(post: PostDto): string {
  return post.title ?? (summary(post.excerpt, UNTITLED_CHARS) || `A post by ${post.author.displayName}`);
}

/**
 * The public pages as a site answers them: `/`, a post and an author, each the web app's page
 * with its own head; the feeds and the sitemap. What is shown comes only from the posts' and the
 * profiles' public reads (published posts of active authors; public profiles), so nothing a
 * draft holds can reach a page, a feed or the sitemap. URLs are built from PUBLIC_URL.
 */
@Injectable()
export class SiteService {
  private readonly origin: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly webShell: WebShell,
    private readonly posts: PostsService,
    private readonly users: UsersService,
  ) {
    this.origin = config.publicUrl;
  }

  private url(path: string): string {
    return `${this.origin}${path}`;
  }

  private authorPath(id: string): string {
    return `/authors/${id}`;
  }

  private page(shell: Shell, head: PageHead): SitePage {
    return { status: 200, html: shell.fill(renderHead(head, shell.siteName)) };
  }

  private notFound(shell: Shell): SitePage {
    return { status: 404, html: shell.fill(renderNotFoundHead(shell.siteName, shell.description)) };
  }

  /** The web app's page (nuxt dev's is fetched anew each time). */
  shell(): Promise<Shell> {
    return this.webShell.current();
  }

  /** The page with the site's own head, for when the asked-for one cannot be read (the database is away). */
  plainPage(shell: Shell): string {
    return shell.fill(renderHead(this.feedHead(shell), shell.siteName));
  }

  private feedHead(shell: Shell): PageHead {
    return {
      title: shell.siteName,
      headline: shell.siteName,
      description: shell.description,
      url: this.url('/'),
      type: 'website',
      feed: { url: this.url('/rss.xml'), title: shell.siteName },
    };
  }

  feedPage(shell: Shell): Promise<SitePage> {
    return Promise.resolve(this.page(shell, this.feedHead(shell)));
  }

  async postPage(shell: Shell, ref: string): Promise<SitePage> {
    const post = await this.posts.findPublishedByRef(ref);
    if (!post?.publishedAt) return this.notFound(shell);
    const name = headline(post);
    const author = post.author.displayName;
    return this.page(shell, {
      title: `${name} · ${shell.siteName}`,
      headline: name,
      description: post.excerpt || `A post by ${author} on ${shell.siteName}.`,
      url: this.url(post.path),
      type: 'article',
      article: {
        publishedTime: post.publishedAt,
        modifiedTime: post.updatedAt,
        authorUrl: this.url(this.authorPath(post.author.id)),
      },
      feed: { url: this.url(`${this.authorPath(post.author.id)}/rss.xml`), title: `${author} on ${shell.siteName}` },
    });
  }

  private authorDescription(profile: PublicProfileDto, siteName: string): string {
    return profile.bio ?? `Posts by ${profile.displayName} on ${siteName}.`;
  }

  async authorPage(shell: Shell, id: string): Promise<SitePage> {
    const profile = await this.users.findPublicProfile(id);
    if (!profile) return this.notFound(shell);
    const path = this.authorPath(profile.id);
    return this.page(shell, {
      title: `${profile.displayName} · ${shell.siteName}`,
      headline: profile.displayName,
      description: this.authorDescription(profile, shell.siteName),
      url: this.url(path),
      type: 'profile',
      feed: { url: this.url(`${path}/rss.xml`), title: `${profile.displayName} on ${shell.siteName}` },
    });
  }

  private item(post: PostDto): FeedItem {
    return {
      title: headline(post),
      link: this.url(post.path),
      guid: this.url(`/posts/${post.shortId}`),
      publishedAt: post.publishedAt ?? post.createdAt,
      author: post.author.displayName,
      description: post.excerpt,
    };
  }

  /** The feed of `/`: the newest published posts. */
  async feed(shell: Shell): Promise<string> {
    const posts = await this.posts.listPublished({ limit: FEED_ITEMS });
    return renderRss(
      {
        title: shell.siteName,
        link: this.url('/'),
        self: this.url('/rss.xml'),
        description: shell.description,
      },
      posts.map((post) => this.item(post)),
    );
  }

  /** One author's feed; null for an unknown or suspended author. */
  async authorFeed(shell: Shell, id: string): Promise<string | null> {
    const profile = await this.users.findPublicProfile(id);
    if (!profile) return null;
    const posts = await this.posts.listPublished({ limit: FEED_ITEMS, authorId: profile.id });
    const path = this.authorPath(profile.id);
    return renderRss(
      {
        title: `${profile.displayName} on ${shell.siteName}`,
        link: this.url(path),
        self: this.url(`${path}/rss.xml`),
        description: this.authorDescription(profile, shell.siteName),
      },
      posts.map((post) => this.item(post)),
    );
  }

  /** Every public page: the feed, each published post, each active author. */
  async sitemap(): Promise<string> {
    const entries: SitemapEntry[] = [{ loc: this.url('/') }];
    for await (const post of this.posts.walkPublished()) {
      if (entries.length >= SITEMAP_MAX_URLS) break;
      entries.push({ loc: this.url(post.path), lastmod: post.updatedAt });
    }
    for await (const id of this.users.walkActiveAuthors()) {
      if (entries.length >= SITEMAP_MAX_URLS) break;
      entries.push({ loc: this.url(this.authorPath(id)) });
    }
    return renderSitemap(entries);
  }
}
