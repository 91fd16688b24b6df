import type { FastifyRequest } from 'fastify';
import { auditClient } from '../audit/audit-client.js';
import type { ClientInfo } from './refresh-token.service.js';

/** Who is on the other end, for session lists and the audit log (IP as TRUST_PROXY resolves it). */
export function clientOf(request: FastifyRequest): ClientInfo {
  return auditClient(request.ip, request.headers['user-agent']);
}
