import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OperatorAccountService } from './operator-account.service.js';

/** How often each API process lifts the suspensions whose end has come. */
export const SUSPENSION_SWEEP_MS = 60_000;

/**
 * Lifts ended suspensions every minute, so that the control panel (and the public pages) show the
 * truth without waiting for the account's next sign-in, which lifts its own at once anyway. Every
 * API replica sweeps; each lift happens once (OperatorAccountService.liftEnded) and is audited
 * `user_unsuspended` with no actor. The panel process does not sweep: it only imports AuthModule.
 */
@Injectable()
export class SuspensionSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SuspensionSweep.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly accounts: OperatorAccountService) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    // Named, so a test can tell this timer from the others set at start-up.
    const sweepSuspensions = () => {
      this.running = this.sweep().finally(() => {
        this.schedule();
      });
    };
    this.timer = setTimeout(sweepSuspensions, SUSPENSION_SWEEP_MS);
    this.timer.unref();
  }

  /** One sweep; a database that cannot answer now is tried again at the next. */
  async sweep(): Promise<void> {
    try {
      const lifted = await this.accounts.liftEnded();
      if (lifted.length > 0) this.logger.log(`lifted ${lifted.length} ended suspension(s)`);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not lift ended suspensions; trying again at the next sweep');
    }
  }
}
