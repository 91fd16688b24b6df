import { Global, Module } from '@nestjs/common';
import { ChangeEventsService } from './change-events.service.js';

/** Change events for every feature that keeps or streams what readers see (see ChangeEventsService). */
@Global()
@Module({ providers: [ChangeEventsService], exports: [ChangeEventsService] })
export class EventsModule {}
