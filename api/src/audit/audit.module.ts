import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service.js';

/** Owns the audit log (security events, operator actions). */
@Global()
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
