import { type DynamicModule, Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { OpsHealthService } from './ops-health.service.js';
import { OPS_PROCESS_KIND, type OpsProcessKind, OpsSampler } from './ops-samples.js';
import { OpsSamplesRepository } from './ops-samples.repository.js';

/**
 * Operations samples: the process writes its counters' growth to `ops_samples` (OpsSampler), and
 * OpsHealthService reads them back for the control panel. The API mounts it as `api`, the panel
 * as `panel`.
 */
@Module({})
export class OpsModule {
  static forRoot(kind: OpsProcessKind): DynamicModule {
    return {
      module: OpsModule,
      imports: [MetricsModule, MailModule],
      providers: [{ provide: OPS_PROCESS_KIND, useValue: kind }, OpsSamplesRepository, OpsSampler, OpsHealthService],
      exports: [OpsSampler, OpsHealthService],
    };
  }
}
