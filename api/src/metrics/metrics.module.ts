import { Module } from '@nestjs/common';
import { Metrics } from './metrics.js';

/** Owns the Prometheus registry that features record into. MetricsHttpModule serves it. */
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
