import { Column, Entity, Index, OneToMany, type Relation } from 'typeorm';
import { AppEntity } from '../database/app-entity.js';
import type { Post } from '../posts/post.entity.js';
import { USER_ROLES, type UserRole } from '../policy/access.js';

export { USER_ROLES, type UserRole };

/** Longest bio and link, in characters. */
export const BIO_MAX = 280;
export const LINK_MAX = 200;
/** Longest suspension reason and message, in characters. */
export const SUSPENSION_TEXT_MAX = 500;

/**
 * An account. The e-mail is unique case-insensitively through the `lower(email)` index created
 * by the migration; it is private, `displayName` is what others see.
 */
@Entity({ name: 'users' })
@Index('users_email_lower_key', { synchronize: false })
@Index('users_created_idx', ['createdAt'])
@Index('users_suspended_until_idx', ['suspendedUntil'])
export class User extends AppEntity {
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 80 })
  displayName!: string;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash!: string;

  @Column({ type: 'enum', enum: USER_ROLES, enumName: 'user_role', default: 'user' })
  role!: UserRole;

  /** false = suspended: refused on the very next request. The suspension columns say why and until when. */
  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  /** When the current suspension began; null when the account is not suspended. */
  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt: Date | null = null;

  /** When it ends by itself (the sweep or the next sign-in lifts it); null: until an operator lifts it. */
  @Column({ name: 'suspended_until', type: 'timestamptz', nullable: true })
  suspendedUntil: Date | null = null;

  /** Why, for operators only: never shown to the account's owner. */
  @Column({ name: 'suspension_reason', type: 'varchar', length: SUSPENSION_TEXT_MAX, nullable: true })
  suspensionReason: string | null = null;

  /** What the owner reads when signing in; null: only that the account is suspended. */
  @Column({ name: 'suspension_message', type: 'varchar', length: SUSPENSION_TEXT_MAX, nullable: true })
  suspensionMessage: string | null = null;

  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt!: Date | null;

  /** When the account last got a new password (null: never since sign-up); device cookies bind to it. */
  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;

  /** Plain text on the author's public page; newlines kept. */
  @Column({ type: 'varchar', length: BIO_MAX, nullable: true })
  bio: string | null = null;

  /** An absolute http(s) URL on the author's public page. */
  @Column({ type: 'varchar', length: LINK_MAX, nullable: true })
  link: string | null = null;

  @OneToMany('Post', (post: Post) => post.author)
  posts?: Relation<Post[]>;
}
