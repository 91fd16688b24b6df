import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { AppConfig } from '../config/config.js';
import { FIRST_PARTY_SCOPES, SCOPES } from '../policy/scopes.js';
import { problemContent } from '../http/problem-responses.js';
import { NO_NUL } from './patterns.js';

export const OPENAPI_JSON_PATH = 'api/openapi.json';
export const OPENAPI_UI_PATH = 'api/docs';

interface StringSchema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  maxLength?: number;
}

interface ObjectSchema {
  additionalProperties?: boolean;
  properties?: Record<string, StringSchema>;
}

interface Operation {
  responses?: Record<string, unknown>;
  parameters?: { in: string; schema?: StringSchema }[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
}

/** Formats whose values cannot hold a NUL character anyway. */
const NUL_FREE_FORMATS = new Set(['uuid', 'email', 'date-time']);

/** The validation pipe refuses NUL in every string of a body, a query or a path: the schema says so. */
function refuseNul(schema: StringSchema | undefined): void {
  if (schema?.type !== 'string' || schema.pattern || schema.enum) return;
  if (!NUL_FREE_FORMATS.has(schema.format ?? '')) schema.pattern = NO_NUL;
}

/**
 * The OpenAPI 3.1 document, built from the controllers' decorators and the limits this deployment
 * is configured with.
 */
export function buildOpenApiDocument(app: INestApplication, limits: Pick<AppConfig, 'postMaxChars'>): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('nuell API')
    .setDescription(
      'REST API of nuell. Errors are RFC 9457 problem details (`application/problem+json`). ' +
        'Versioned endpoints live under `/api/v1`; health probes under `/api/health`.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'An access token from /api/v1/auth/login or /api/v1/auth/token',
    })
    .addCookieAuth(
      'refresh_token',
      {
        type: 'apiKey',
        in: 'cookie',
        name: 'refresh_token',
        description: 'The browser session cookie (HttpOnly; set by /auth/login)',
      },
      'refresh_token',
    )
    .addOAuth2({
      type: 'oauth2',
      description: 'OAuth 2.0 password grant (first-party clients; see docs/security.md)',
      flows: {
        password: {
          tokenUrl: '/api/v1/auth/token',
          refreshUrl: '/api/v1/auth/token',
          scopes: Object.fromEntries(FIRST_PARTY_SCOPES.map((scope) => [scope, SCOPES[scope]])),
        },
      },
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    // Stable, readable operation ids for generated clients: usersMe, postsList, oauthToken, ...
    operationIdFactory: (controller: string, method: string) =>
      `${controller.replace(/Controller$/, '').toLowerCase()}${method.charAt(0).toUpperCase()}${method.slice(1)}`,
  });
  const schemas = (document.components?.schemas ?? {}) as Record<string, ObjectSchema>;
  for (const operation of Object.values(document.paths).flatMap((item) => Object.values(item) as Operation[])) {
    // Any operation can also fail in ways it does not list (a body too large or of the wrong type,
    // a server error): those answers are problem details as well.
    if (operation.responses && !operation.responses.default) {
      operation.responses.default = { description: 'Any other error, as problem details', content: problemContent() };
    }
    for (const parameter of operation.parameters ?? []) {
      if (parameter.in === 'query' || parameter.in === 'path') refuseNul(parameter.schema);
    }
    for (const [type, { schema }] of Object.entries(operation.requestBody?.content ?? {})) {
      const body = schema?.$ref ? schemas[schema.$ref.replace('#/components/schemas/', '')] : undefined;
      if (!body) continue;
      // The validation pipe refuses unknown fields in JSON bodies; the schemas say so.
      if (type === 'application/json') body.additionalProperties = false;
      Object.values(body.properties ?? {}).forEach(refuseNul);
    }
  }
  for (const body of ['PostContentDto', 'CreatePostDto', 'UpdatePostDto']) {
    const content = schemas[body]?.properties?.content;
    if (content) content.maxLength = limits.postMaxChars;
  }
  return document;
}

export function mountOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: 'api/openapi.yaml',
    customSiteTitle: 'nuell API',
    // The Authorize dialog's password flow needs a client_id; every client is public, so any works.
    swaggerOptions: { initOAuth: { clientId: 'swagger-ui' } },
  });
}
