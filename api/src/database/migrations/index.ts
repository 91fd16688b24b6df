import { Initial1763856000000 } from './1763856000000-initial.js';
import { Auth1763942400000 } from './1763942400000-auth.js';
import { PostsRendererVersion1764028800000 } from './1764028800000-posts-renderer-version.js';
import { PostsVersion1764115200000 } from './1764115200000-posts-version.js';
import { RateLimits1764201600000 } from './1764201600000-rate-limits.js';
import { ControlPanel1764288000000 } from './1764288000000-control-panel.js';
import { PasswordChangedAt1764374400000 } from './1764374400000-password-changed-at.js';
import { TitlesDraftsProfiles1764460800000 } from './1764460800000-titles-drafts-profiles.js';
import { AuditClient1764547200000 } from './1764547200000-audit-client.js';
import { Suspensions1764633600000 } from './1764633600000-suspensions.js';
import { PostModeration1764720000000 } from './1764720000000-post-moderation.js';
import { OpsSamples1764806400000 } from './1764806400000-ops-samples.js';
import { PostsContentSearch1764892800000 } from './1764892800000-posts-content-search.js';
import { AuditActorIndex1764979200000 } from './1764979200000-audit-actor-index.js';
import { SecondFactors1765065600000 } from './1765065600000-second-factors.js';
import { PersonalAccessTokens1765152000000 } from './1765152000000-personal-access-tokens.js';
import { OAuth1765152060000 } from './1765152060000-oauth.js';
import { ChangeEvents1765238400000 } from './1765238400000-change-events.js';

/** Every migration, oldest first. Listed explicitly: no file globbing at run time. */
export const migrations = [
  Initial1763856000000,
  Auth1763942400000,
  PostsRendererVersion1764028800000,
  PostsVersion1764115200000,
  RateLimits1764201600000,
  ControlPanel1764288000000,
  PasswordChangedAt1764374400000,
  TitlesDraftsProfiles1764460800000,
  AuditClient1764547200000,
  Suspensions1764633600000,
  PostModeration1764720000000,
  OpsSamples1764806400000,
  PostsContentSearch1764892800000,
  AuditActorIndex1764979200000,
  SecondFactors1765065600000,
  PersonalAccessTokens1765152000000,
  OAuth1765152060000,
  ChangeEvents1765238400000,
];
