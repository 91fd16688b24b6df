import { Post } from '../posts/post.entity.js';
import { User } from '../users/user.entity.js';

/** Every entity of the data model; admin imports this list too. */
export const entities = [User, Post];
export { Post, User };
