/**
 * The path parameter of reading one post (`:id`, as the routes that change a post name it, so the
 * document has one template): what a link may hold. A UUID (old links), a
 * path's last segment `{slug}-{shortId}`, or a bare short id; anything else is refused with 400,
 * and the OpenAPI document describes the three forms. One decorator sets both.
 */
import { Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ValidationProblem } from '../http/problem.js';
import { UUID_PATTERN } from '../http/uuid-param.js';
import { parsePostRef } from './post-path.js';

/** A UUID, or anything ending in a short id (after a hyphen, or alone). */
const REF_PATTERN = `^(?:${UUID_PATTERN.slice(1, -1)}|(?:.*-)?[0-9a-z]{10})$`;

const postRef: PipeTransform<string, string> = {
  transform(value: string): string {
    if (parsePostRef(value)) return value;
    throw new ValidationProblem([
      {
        field: 'id',
        pointer: '/id',
        detail: 'id must be a post id, the last segment of a post path ({slug}-{shortId}) or a short id',
      },
    ]);
  },
};

export function PostRefParam(name: string): ParameterDecorator {
  return (target, method, index) => {
    Param(name, postRef)(target, method, index);
    const descriptor = method === undefined ? undefined : Object.getOwnPropertyDescriptor(target, method);
    if (method === undefined || !descriptor) throw new Error('@PostRefParam() belongs on a route handler parameter');
    ApiParam({
      name,
      schema: { type: 'string', pattern: REF_PATTERN },
      example: 'hello-world-k3x9q2m7ab',
      description:
        'Not only the id: any of the three forms a link may hold: `{slug}-{shortId}` (the last segment of the post `path`; the slug ' +
        'is ignored, so a link made before a new title still works), the bare `shortId` (10 characters, 0-9 a-z), or ' +
        'the post `id`, a UUID (older links).',
    })(target, method, descriptor);
  };
}
