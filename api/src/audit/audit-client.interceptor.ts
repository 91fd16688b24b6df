import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { auditClient, withAuditClient } from './audit-client.js';

/** Runs each API handler as part of its request's client, so what it audits says where from. */
@Injectable()
export class AuditClientInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const client = auditClient(request.ip, request.headers['user-agent']);
    return new Observable((subscriber) => withAuditClient(client, () => next.handle().subscribe(subscriber)));
  }
}
