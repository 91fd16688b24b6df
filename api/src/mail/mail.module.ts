import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { MailService } from './mail.service.js';

/** Owns outgoing e-mail: templates, links into the web app and the retrying sender. */
@Module({ imports: [MetricsModule], providers: [MailService], exports: [MailService] })
export class MailModule {}
