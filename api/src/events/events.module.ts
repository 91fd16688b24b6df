import { Module } from '@nestjs/common';
import { ChangeEventsService } from './change-events.service.js';

/**
 * Change events for every feature that keeps or streams what readers see (see ChangeEventsService).
 * Import it where it is used; the process has one listener whoever imports it.
 */
@Module({ providers: [ChangeEventsService], exports: [ChangeEventsService] })
export class EventsModule {}
