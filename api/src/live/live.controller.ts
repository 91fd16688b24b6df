import { Controller, createParamDecorator, type ExecutionContext, Get, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblem } from '../http/problem-responses.js';
import { ValidationProblem } from '../http/problem.js';
import { Public } from '../policy/access.js';
import { RECONNECT_MS } from './event-stream.js';
import { LiveStreamsService, MAX_REPLAY } from './live-streams.service.js';

/** A position in the stream: the `id` of an event it sent (a safe integer, in decimal). */
const POSITION_PATTERN = '^[0-9]{1,15}$';
const POSITION = new RegExp(POSITION_PATTERN);

export class StreamQuery {
  @ApiPropertyOptional({
    pattern: POSITION_PATTERN,
    example: '1234',
    description:
      'Resume after this event id, as `Last-Event-ID` does, for a first connection that knows its position ' +
      '(a page that kept it). The header wins when both are sent: an EventSource keeps this URL and sends ' +
      'the header when it reconnects.',
  })
  @IsOptional()
  @Matches(POSITION, { message: 'lastEventId must be the id of an event of the stream (digits)' })
  lastEventId?: string;
}

/** The Last-Event-ID header as a position; undefined when absent or empty, 400 when malformed. */
export const LastEventIdHeader = createParamDecorator(
  (_data: unknown, context: ExecutionContext): number | undefined => {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers['last-event-id'];
    if (header === undefined || header === '') return undefined;
    if (typeof header !== 'string' || !POSITION.test(header)) {
      throw new ValidationProblem([
        {
          field: 'Last-Event-ID',
          pointer: '',
          detail: 'Last-Event-ID must be the id of an event of the stream (digits)',
        },
      ]);
    }
    return Number(header);
  },
);

const EXAMPLE = [
  `retry: ${RECONNECT_MS}`,
  '',
  'id: 1041',
  'event: ready',
  'data: {"seq":1041}',
  '',
  'id: 1042',
  'event: post.created',
  'data: {"seq":1042,"kind":"post.created","postId":"019a9b01-7c2d-7e3f-8a41-6b7c8d9e0f12",' +
    '"authorId":"019a8f6e-3b1c-7d2e-9f40-5a6b7c8d9e0f","at":"2026-12-03T10:15:42.120Z"}',
  '',
  ': heartbeat',
  '',
  '',
].join('\n');

const DESCRIPTION = `Server-Sent Events (\`text/event-stream\`; in a browser, \`new EventSource('/api/v1/posts/stream')\`): \
what readers can see change, on every replica, as it commits. Public; no token.

The stream starts with \`retry: ${RECONNECT_MS}\`. Without a position it then sends \`ready\` (\`id\` and \`data\` \
\`{"seq":N}\`: the latest change), so the client always has a position to resume from. Then one event per change, \
its \`id\` the change's \`seq\` (commit order), its \`event\` the kind and its \`data\` JSON \
\`{"seq","kind","postId","authorId","at"}\`:

- \`post.created\`: a post became visible (published, a draft published, unhidden);
- \`post.updated\`: a visible post changed (title, content, path);
- \`post.removed\`: a visible post went (deleted, unpublished, hidden by an operator);
- \`author.updated\`: an author's public profile changed (\`postId\` null);
- \`author.removed\`: an author was suspended or deleted: their posts left (\`postId\` null);
- \`author.restored\`: a suspended author is back, with their posts (\`postId\` null).

Resuming: an EventSource sends \`Last-Event-ID\` by itself when it reconnects; the stream then sends every change \
after it, in order, without a gap or a duplicate, and goes on live. A position older than the changes kept (24 hours), \
more than ${MAX_REPLAY} changes behind, or unknown gets \`reset\` (\`{"seq":N}\`): reload what is shown, then follow \
from N. A comment line \`: heartbeat\` comes every STREAM_HEARTBEAT_SECONDS (20 by default). The stream ends when \
the server shuts down; the client reconnects (after \`retry\`) and resumes.`;

/** The live stream of changes: Server-Sent Events (docs/api.md, "Live stream"). */
@ApiTags('posts')
@Controller('posts')
export class LiveController {
  constructor(private readonly streams: LiveStreamsService) {}

  @Public()
  @Get('stream')
  @ApiOperation({
    summary: 'Live changes of the feed (Server-Sent Events), resumable with Last-Event-ID',
    description: DESCRIPTION,
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    schema: { type: 'string', pattern: POSITION_PATTERN },
    example: '1234',
    description: 'The `id` of the last event received: the stream resumes after it (an EventSource sends it itself).',
  })
  @ApiOkResponse({
    description: 'The stream: it stays open, and its events are described above',
    headers: {
      'Cache-Control': { schema: { type: 'string', enum: ['no-store'] } },
      'X-Accel-Buffering': { description: 'Tells a proxy not to buffer the stream', schema: { type: 'string' } },
    },
    content: { 'text/event-stream': { schema: { type: 'string' }, example: EXAMPLE } },
  })
  @ApiProblem(400, 'Last-Event-ID or lastEventId is not the id of an event (digits), or an unknown query parameter')
  @ApiProblem(
    429,
    'Too many streams open from your address (STREAM_MAX_PER_IP), or on this server (STREAM_MAX_CONNECTIONS); ' +
      'Retry-After says when to try again',
  )
  @ApiProblem(503, 'The server is shutting down, or the database is unavailable; connect again')
  async stream(
    @Query() query: StreamQuery,
    @LastEventIdHeader() header: number | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const headers = {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    };
    // A HEAD request gets the headers and opens nothing.
    if (request.method === 'HEAD') {
      void reply.headers(headers).send();
      return;
    }
    const after = header ?? (query.lastEventId === undefined ? undefined : Number(query.lastEventId));
    const client = await this.streams.open(request.ip, after);
    // Not awaited: the reply settles when the stream ends.
    void reply.headers(headers).send(client.body);
  }
}
