import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { MailQueueService } from './mail-queue.service.js';
import { MailService } from './mail.service.js';

/**
 * Owns outgoing e-mail: templates, links into the web app, the retrying sender, and the
 * operators' view of the queue (MailQueueService, audited).
 */
@Module({
  imports: [MetricsModule, AuditModule],
  providers: [MailService, MailQueueService],
  exports: [MailService, MailQueueService],
})
export class MailModule {}
