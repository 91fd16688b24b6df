/**
 * How request bodies are read, before any route sees them. JSON everywhere (the OAuth token,
 * revocation and introspection endpoints alone take a form, as RFC 6749, 7009 and 7662 require),
 * and refused cheaply when hostile:
 *
 * - Size: a route accepts at most SMALL_BODY_LIMIT bytes unless it is marked @AcceptsLargeBody()
 *   (the routes that carry post content), which raises it to BODY_LIMIT_BYTES. Over the limit: 413,
 *   decided from Content-Length before the body is read when the client sends one.
 * - Shape: JSON nested deeper than MAX_JSON_DEPTH, or with more than MAX_JSON_VALUES values, is
 *   refused by one linear scan before it is parsed. No DTO of ours comes close to either, and it is
 *   the number and depth of values, not bytes, that make transformation and validation expensive:
 *   2,000 levels overflowed the stack, and 400,000 array elements cost over a second of main thread,
 *   where one long string (a post) costs next to nothing.
 * - Prototype keys: `__proto__` and `constructor.prototype` are refused by name (secure-json-parse).
 */
import { BadRequestException } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { errorCodes, type FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import type { AppConfig } from '../config/config.js';

export const SMALL_BODY_LIMIT = 16 * 1024;
export const MAX_JSON_DEPTH = 32;
export const MAX_JSON_VALUES = 1_000;
const FORM_ROUTES = new Set(['/api/v1/auth/token', '/api/v1/oauth/revoke', '/api/v1/oauth/introspect']);
const LARGE_BODY = 'nuell:large-body';

/** The route carries user content: its bodies may be up to BODY_LIMIT_BYTES. */
export const AcceptsLargeBody = () => RouteConfig({ [LARGE_BODY]: true });

/** What makes this JSON text too costly to parse and validate, or null. Strings are skipped. */
export function jsonShapeProblem(text: string): string | null {
  let depth = 0;
  let values = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) return `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`;
      values++;
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2c && ++values > MAX_JSON_VALUES) {
      return `The JSON body holds more than ${MAX_JSON_VALUES} values; no request needs that many.`;
    }
  }
  return null;
}

function parseJson(text: string): unknown {
  if (text.length === 0) throw new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY();
  const shape = jsonShapeProblem(text);
  if (shape) throw new BadRequestException(shape);
  try {
    return secureJson.parse(text, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    if (error instanceof SyntaxError && /forbidden (prototype|constructor) property/.test(error.message)) {
      throw new BadRequestException(
        'The JSON body must not contain the keys __proto__ or constructor.prototype, which no field here uses.',
      );
    }
    throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
  }
}

export function configureBodyParsing(fastify: FastifyInstance, config: AppConfig): void {
  const small = Math.min(SMALL_BODY_LIMIT, config.bodyLimitBytes);
  fastify.addHook('onRoute', (route) => {
    route.bodyLimit = (route.config as Record<string, unknown> | undefined)?.[LARGE_BODY]
      ? config.bodyLimitBytes
      : small;
  });

  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  // Fastify's text/plain parser would let a wrong type through to validation instead of a 415, and
  // a form anywhere but the OAuth endpoints is refused the same way.
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    const type = request.headers['content-type'];
    if (type?.startsWith('application/x-www-form-urlencoded') && !FORM_ROUTES.has(request.routeOptions.url ?? '')) {
      throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(type);
    }
    return payload;
  });
}
