import { Global, Module } from '@nestjs/common';
import { MailService } from './mail.service.js';

/** Owns outgoing e-mail: templates and the retrying sender. */
@Global()
@Module({ providers: [MailService], exports: [MailService] })
export class MailModule {}
