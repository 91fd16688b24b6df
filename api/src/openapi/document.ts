import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { SCOPES } from '../policy/scopes.js';
import { problemContent } from '../http/problem-responses.js';

export const OPENAPI_JSON_PATH = 'api/openapi.json';
export const OPENAPI_UI_PATH = 'api/docs';

interface Operation {
  responses?: Record<string, unknown>;
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
}

/** The OpenAPI 3.1 document, built from the controllers' decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
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
      flows: { password: { tokenUrl: '/api/v1/auth/token', refreshUrl: '/api/v1/auth/token', scopes: { ...SCOPES } } },
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    // Stable, readable operation ids for generated clients: usersMe, postsList, oauthToken, ...
    operationIdFactory: (controller: string, method: string) =>
      `${controller.replace(/Controller$/, '').toLowerCase()}${method.charAt(0).toUpperCase()}${method.slice(1)}`,
  });
  const schemas = (document.components?.schemas ?? {}) as Record<string, { additionalProperties?: boolean }>;
  for (const operation of Object.values(document.paths).flatMap((item) => Object.values(item) as Operation[])) {
    // Any operation can also fail in ways it does not list (a body too large or of the wrong type,
    // a server error): those answers are problem details as well.
    if (operation.responses && !operation.responses.default) {
      operation.responses.default = { description: 'Any other error, as problem details', content: problemContent() };
    }
    // The validation pipe refuses unknown fields in JSON bodies; the schemas say so.
    const ref = operation.requestBody?.content?.['application/json']?.schema?.$ref;
    const body = ref ? schemas[ref.replace('#/components/schemas/', '')] : undefined;
    if (body) body.additionalProperties = false;
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
