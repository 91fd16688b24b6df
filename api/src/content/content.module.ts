import { Module } from '@nestjs/common';
import { ContentService } from './content.service.js';

/** Owns rendering user content through @nuell/native. */
@Module({ providers: [ContentService], exports: [ContentService] })
export class ContentModule {}
