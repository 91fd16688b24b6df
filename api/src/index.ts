/** What other workspaces (the control panel) import from @nuell/api. */
export { entities, Post, User } from './database/entities.js';
export { USER_ROLES, type UserRole } from './users/user.entity.js';
export { createDataSource, dataSourceOptions } from './database/data-source.js';
export { loadConfig, type AppConfig } from './config/config.js';
export { ContentService } from './content/content.service.js';
