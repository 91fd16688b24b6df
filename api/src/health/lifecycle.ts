import { Injectable } from '@nestjs/common';

/**
 * Whether the process is on its way out. On SIGTERM main.ts marks it draining first, so the
 * readiness probe fails and the load balancer stops sending new requests, while the requests
 * already on their way are still served; only then does the server stop.
 */
@Injectable()
export class Lifecycle {
  private drainingSince: Date | undefined;

  drain(): void {
    this.drainingSince ??= new Date();
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }
}
