import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';
import { useTestApp } from './support/app.js';

/** The endpoints whose errors are OAuth's `{ error, error_description }` (RFC 6749 §5.2, 7009, 7662). */
const OAUTH_ENDPOINTS = ['POST /api/v1/auth/token', 'POST /api/v1/oauth/revoke', 'POST /api/v1/oauth/introspect'];

describe('OpenAPI document', () => {
  const api = useTestApp();

  it('is served as OpenAPI 3.1 at /api/openapi.json, with the UI at /api/docs', async () => {
    const res = await fetch(`${api.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
    const ui = await fetch(`${api.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/swagger-ui/i);
  });

  it('is a valid OpenAPI 3.1 document whose security requirements all name declared schemes', async () => {
    const document = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
      components: { securitySchemes: Record<string, { type: string; flows?: { password?: { tokenUrl: string } } }> };
    };
    const validation = await new Validator().validate(document);
    expect(validation.errors ?? []).toEqual([]);
    expect(validation.valid).toBe(true);

    const schemes = document.components.securitySchemes;
    expect(schemes.bearer?.type).toBe('http');
    expect(schemes.oauth2?.flows?.password?.tokenUrl).toBe('/api/v1/auth/token');
    const referenced = Object.values(document.paths).flatMap((operations) =>
      Object.values(operations).flatMap((operation) => (operation.security ?? []).flatMap((s) => Object.keys(s))),
    );
    expect(referenced.filter((name) => !(name in schemes))).toEqual([]);
  });

  /**
   * Problems with a type of their own and extension members: their schema extends ProblemDetailsDto.
   * Several types under one status are one of their schemas.
   */
  const SUSPENDED = '#/components/schemas/AccountSuspendedProblemDto';
  const TYPED_PROBLEMS: Record<string, string> = {
    'POST /api/v1/auth/login 403': `${SUSPENDED} | #/components/schemas/MfaRequiredProblemDto`,
    'POST /api/v1/auth/login/mfa 403': SUSPENDED,
    'POST /api/v1/auth/passkey 403': SUSPENDED,
  };

  it('documents every error as problem details, except the OAuth errors of the token, revocation and introspection endpoints', async () => {
    interface Operation {
      security?: Record<string, string[]>[];
      responses: Record<
        string,
        { content?: Record<string, { schema?: { $ref?: string; oneOf?: { $ref: string }[] } }> }
      >;
    }
    const document = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const errors: string[] = [];
    const unauthenticated: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        for (const [status, response] of Object.entries(operation.responses)) {
          if (status !== 'default' && Number(status) < 400) continue;
          const oauth = OAUTH_ENDPOINTS.includes(where) && ['400', '401', '429'].includes(status);
          const [type, ...others] = Object.keys(response.content ?? {});
          const described = response.content?.[type ?? '']?.schema;
          const schema = described?.$ref ?? described?.oneOf?.map((one) => one.$ref).join(' | ');
          const expected = oauth
            ? ['application/json', '#/components/schemas/OAuthErrorDto']
            : [
                'application/problem+json',
                TYPED_PROBLEMS[`${where} ${status}`] ?? '#/components/schemas/ProblemDetailsDto',
              ];
          if (type !== expected[0] || schema !== expected[1] || others.length > 0) {
            errors.push(`${where} ${status}: ${type} ${schema}`);
          }
        }
        expect(operation.responses.default).toBeDefined();
        const needsToken = (operation.security ?? []).some((s) => 'bearer' in s || 'oauth2' in s);
        if (needsToken && !operation.responses['401']) unauthenticated.push(where);
      }
    }
    expect(errors).toEqual([]);
    // A typed problem's schema has every member of ProblemDetailsDto, and its extensions.
    const { components } = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const base = Object.keys(components.schemas.ProblemDetailsDto!.properties);
    for (const ref of Object.values(TYPED_PROBLEMS).flatMap((refs) => refs.split(' | '))) {
      const typed = components.schemas[ref.split('/').at(-1)!]!;
      expect(Object.keys(typed.properties)).toEqual(expect.arrayContaining(base));
    }
    expect(unauthenticated).toEqual([]);
  });

  it('says that JSON bodies take no fields beyond those listed, as the API refuses them', async () => {
    const document = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { $ref: string } }> } }>
      >;
      components: { schemas: Record<string, { additionalProperties?: boolean }> };
    };
    const open = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) => {
        const ref = operation.requestBody?.content['application/json']?.schema.$ref;
        const schema = ref ? document.components.schemas[ref.split('/').pop()!] : undefined;
        return ref && schema?.additionalProperties !== false ? [`${method} ${path}`] : [];
      }),
    );
    expect(open).toEqual([]);
    const unknownField = await fetch(`${api.url}/api/v1/auth/password/forgot`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@example.test', extra: 1 }),
    });
    expect(unknownField.status).toBe(400);
  });

  it('matches the committed api/openapi.json (run `npm run openapi` after changing the API)', async () => {
    const served = await (await fetch(`${api.url}/api/openapi.json`)).json();
    const committed = JSON.parse(await readFile(new URL('../openapi.json', import.meta.url), 'utf8'));
    expect(served).toEqual(committed);
  });
});
