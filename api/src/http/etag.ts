/**
 * Entity tags (RFC 9110 §8.8.3): for optimistic concurrency (§13.1.1), a post's version is sent as
 * a strong ETag, `"<version>"`, and `If-Match` on a change must name it (or be `*`); for
 * conditional reads (§13.1.2), `If-None-Match` naming the current ETag of a public read is
 * answered 304 Not Modified (read-cache/read-cache.service.ts; docs/api.md, "Caching").
 */
import {
  applyDecorators,
  BadRequestException,
  createParamDecorator,
  type ExecutionContext,
  PreconditionFailedException,
} from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblem } from './problem-responses.js';

export const etagOf = (version: number): string => `"${version}"`;

/** What If-Match asks for: any current version (`*`), or one of these. */
export type IfMatch = { readonly any: true } | { readonly versions: readonly number[] };

const ENTITY_TAG = '(W/)?"([\\x21\\x23-\\x7e\\x80-\\xff]*)"';

/**
 * `*`, or a list of one or more entity tags (RFC 9110 §5.6.1, §8.8.3): a comma may sit inside a
 * tag, and empty list elements are allowed. Each part excludes the next one's first character, so
 * a backtracking engine matches it in linear time. The OpenAPI document states the same pattern.
 */
export const IF_MATCH_PATTERN = `^(?:\\*|[ \\t,]*${ENTITY_TAG}(?:[ \\t]*,[ \\t,]*${ENTITY_TAG})*[ \\t,]*)$`;
const IF_MATCH = new RegExp(IF_MATCH_PATTERN);
const TAGS = new RegExp(ENTITY_TAG, 'g');

/** Parses an If-Match header; undefined when absent, 400 when malformed. */
export function parseIfMatch(header: string | string[] | undefined): IfMatch | undefined {
  if (header === undefined) return undefined;
  const value = [header].flat().join(',').trim();
  if (!IF_MATCH.test(value)) {
    throw new BadRequestException('If-Match must be * or a comma-separated list of ETags such as "3".');
  }
  if (value === '*') return { any: true };
  const versions: number[] = [];
  for (const [, weak, opaque = ''] of value.matchAll(TAGS)) {
    // Weak tags never match under If-Match's strong comparison; tags we never issue match nothing.
    if (!weak && /^[1-9]\d{0,9}$/.test(opaque)) versions.push(Number(opaque));
  }
  return { versions };
}

/**
 * Whether If-None-Match names this ETag (or is `*`), by the weak comparison RFC 9110 §13.1.2 asks
 * for: `W/"x"` and `"x"` match. A malformed header matches nothing (the full answer is never wrong).
 */
export function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const [, , tag = ''] of header.matchAll(TAGS)) if (`"${tag}"` === opaque) return true;
  return false;
}

/** Throws 412 unless `current` satisfies If-Match (a missing If-Match is always satisfied). */
export function assertMatches(ifMatch: IfMatch | undefined, current: number): void {
  if (ifMatch && !('any' in ifMatch) && !ifMatch.versions.includes(current)) throw new StaleVersion(current);
}

/** 412: the resource changed since the client loaded it; the answer carries the current ETag. */
export class StaleVersion extends PreconditionFailedException {
  constructor(readonly current: number) {
    super(
      `It changed since you loaded it (its ETag is now ${etagOf(current)}): load it again and reapply your change.`,
    );
  }
}

/** The parsed If-Match header of the request (undefined when absent; 400 when malformed). */
export const IfMatchHeader = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  parseIfMatch(context.switchToHttp().getRequest<FastifyRequest>().headers['if-match']),
);

/** Documents If-Match on a conditional change, and the 412 it can answer. */
export const ApiIfMatch = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      schema: { type: 'string', pattern: IF_MATCH_PATTERN },
      description:
        'The ETag the client last saw (`"3"`), or `*`: the change applies only if the resource is still at that ' +
        'version, else 412. Without it, the last change wins.',
      example: '"3"',
    }),
    ApiProblem(412, 'The post changed since the ETag in If-Match (the answer carries the current ETag)'),
  );

/** The ETag response header, as documented on the answers that carry one. */
export const ETAG_HEADER = {
  ETag: { description: 'The version of the post, for If-Match', schema: { type: 'string', example: '"3"' } },
};

/**
 * Documents a conditional read: the ETag of the answer (`etag`, what it stands for), If-None-Match,
 * and the 304 it earns.
 */
export const ApiIfNoneMatch = (etag: string, example: string) =>
  applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      schema: { type: 'string' },
      description:
        'The ETag of the copy the client holds (browsers send it by themselves): 304 Not Modified, without a ' +
        'body, while it is still current.',
      example,
    }),
    ApiResponse({
      status: 304,
      description: 'Not Modified: the copy named by If-None-Match is current',
      headers: {
        ETag: { description: etag, schema: { type: 'string' } },
        'Cache-Control': { description: 'As on the 200 answer', schema: { type: 'string' } },
      },
    }),
  );

/** What a digest ETag looks like. */
export const DIGEST_EXAMPLE = '"kR2m1Qy0o6Vb8WmHc3xJ4TzN5aE"';

/** What the ETag of a list or a profile is. */
export const DIGEST_ETAG = 'A digest of the answer: it changes when anything in it does';

/** The ETag response header of a list or a profile, for If-None-Match. */
export const DIGEST_ETAG_HEADER = {
  ETag: { description: `${DIGEST_ETAG}, for If-None-Match`, schema: { type: 'string', example: DIGEST_EXAMPLE } },
};

/** How a public read's description says it is conditional. */
export const CONDITIONAL_READ =
  'Public, `Cache-Control: public, no-cache`: If-None-Match naming the ETag gets 304 while the answer is the same.';

/** The Cache-Control header of a public read (docs/api.md, "Caching"). */
export const CACHE_CONTROL_HEADER = {
  'Cache-Control': {
    description:
      '`public, no-cache`: anyone may keep it but must ask again before using it (a 304 when it is still current)',
    schema: { type: 'string', example: 'public, no-cache' },
  },
};
