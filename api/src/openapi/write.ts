/**
 * `npm run openapi`: writes the OpenAPI document to api/openapi.json, which is committed so that
 * changes to the public contract show up in review. A test fails when the file is stale.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app.js';
import { loadConfig } from '../config/config.js';
import { buildOpenApiDocument } from './document.js';

export const OPENAPI_FILE = fileURLToPath(new URL('../../openapi.json', import.meta.url));

// Preview mode instantiates no provider, so nothing connects to these placeholders.
const config = loadConfig({
  DATABASE_URL: 'postgres://unused@localhost/unused',
  JWT_SECRET: 'openapi-generation-signs-nothing-with-this',
});
const app = await createApp(config, { preview: true });
await writeFile(OPENAPI_FILE, `${JSON.stringify(buildOpenApiDocument(app, config), null, 2)}\n`);
await app.close();
console.log(`wrote ${OPENAPI_FILE}`);
