import { Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository.js';

/** Owns the audit log (security events, operator actions). */
@Module({ providers: [AuditRepository], exports: [AuditRepository] })
export class AuditModule {}
