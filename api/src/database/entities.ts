import { AccountToken } from '../auth/account-token.entity.js';
import { Session } from '../auth/session.entity.js';
import { AuditLog } from '../audit/audit-log.entity.js';
import { Post } from '../posts/post.entity.js';
import { User } from '../users/user.entity.js';

/** Every entity of the data model; admin imports this list too. */
export const entities = [User, Post, Session, AccountToken, AuditLog];
export { AccountToken, AuditLog, Post, Session, User };
