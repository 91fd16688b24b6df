import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { LiveController } from './live.controller.js';
import { LiveStreamsService } from './live-streams.service.js';

/** The live stream of changes, GET /api/v1/posts/stream (Server-Sent Events), on the change events. */
@Module({
  imports: [EventsModule, MetricsModule],
  controllers: [LiveController],
  providers: [LiveStreamsService],
  exports: [LiveStreamsService],
})
export class LiveModule {}
