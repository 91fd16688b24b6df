/**
 * What a cached route's handler tells the read cache about its answer, which only it knows: which
 * post and author the answer shows (so that their changes drop it), the next page's cursor, and
 * whether its ETag covers all of it. Read by ReadCache when the answer is sent.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface AnswerNote {
  /** More of what the answer shows than the request says (`post:<id>`, `author:<id>`). */
  readonly tags?: readonly string[];
  /** A feed page's nextCursor. */
  readonly nextCursor?: string | null;
  /** False when If-None-Match naming the ETag must still get the whole answer (VersionedPost). */
  readonly revalidates?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the handler of a cached route (noteAnswer); decorated by ReadCache. */
    answerNote: AnswerNote | null;
  }
}

export function noteAnswer(reply: FastifyReply, note: AnswerNote): void {
  reply.request.answerNote = note;
}

export const answerNoteOf = (request: FastifyRequest): AnswerNote | null => request.answerNote ?? null;
