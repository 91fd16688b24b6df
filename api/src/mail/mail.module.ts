import { Module } from '@nestjs/common';
import { MailService } from './mail.service.js';

/** Owns outgoing e-mail: templates, links into the web app and the retrying sender. */
@Module({ providers: [MailService], exports: [MailService] })
export class MailModule {}
