import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ReadCache } from './read-cache.service.js';

/**
 * The read cache of the public reads (ReadCache). Mounted by the API alone (AppModule), which adds
 * its hooks to the HTTP server (app.ts): the control panel never answers these reads.
 */
@Module({ imports: [EventsModule, MetricsModule], providers: [ReadCache], exports: [ReadCache] })
export class ReadCacheModule {}
