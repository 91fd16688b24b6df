import type { FastifyRequest } from 'fastify';
import type { ClientInfo } from './refresh-token.service.js';

/** Who is on the other end, for session lists and the audit log (IP as TRUST_PROXY resolves it). */
export function clientOf(request: FastifyRequest): ClientInfo {
  const agent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null };
}
