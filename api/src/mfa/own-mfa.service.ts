/**
 * What signed-in users do with their own second factors (MfaController, under /users/me): see
 * them, prove presence again (step-up), turn the authenticator app on and off, and replace the
 * recovery codes. Changing a factor needs a recent proof of presence (step-up.ts); turning the
 * app off needs a fresh code besides, so a session left open cannot quietly drop the factor.
 */
import { Injectable } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import type { ClientInfo } from '../auth/refresh-token.service.js';
import { ValidationProblem } from '../http/problem.js';
import type { Principal } from '../policy/access.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { UsersRepository } from '../users/users.repository.js';
import { SecondFactors } from './second-factors.js';
import { StepUp } from './step-up.js';
import { TotpService } from './totp.service.js';

export interface MfaStatus {
  readonly totp: { readonly enabled: boolean; readonly enabledAt: Date | null };
  readonly recoveryCodesLeft: number;
  readonly passkeys: number;
  readonly stepUpUntil: Date | null;
}

@Injectable()
export class OwnMfaService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly totp: TotpService,
    private readonly factors: SecondFactors,
    private readonly stepUp: StepUp,
    private readonly audit: AuditRepository,
  ) {}

  async status(principal: Principal): Promise<MfaStatus> {
    const [totp, factors, stepUpUntil] = [
      await this.totp.status(principal.userId),
      await this.factors.of(principal.userId),
      await this.stepUp.provenUntil(principal.sessionId),
    ];
    return {
      totp: { enabled: totp.enabled, enabledAt: totp.enabledAt },
      recoveryCodesLeft: totp.recoveryCodesLeft,
      passkeys: factors.passkeys,
      stepUpUntil,
    };
  }

  /**
   * Proves presence with the password or a code (from the app, or a recovery code, which this
   * spends); sensitive changes then go through for a while. Failures are audited.
   */
  async proveWith(
    principal: Principal,
    input: { password?: string | undefined; code?: string | undefined },
    client: ClientInfo,
  ): Promise<Date> {
    const target = { type: 'user', id: principal.userId };
    if (input.password !== undefined) {
      const user = await this.users.findByIdWithHash(principal.userId);
      if (!user || !(await this.hasher.verify(user.passwordHash, input.password))) {
        await this.audit.record('step_up_failed', {
          actorId: principal.userId,
          target,
          data: { method: 'password' },
          client,
        });
        throw new ValidationProblem([
          { field: 'password', pointer: '/password', detail: 'The password is incorrect.' },
        ]);
      }
    } else {
      // TotpService audits a wrong code itself (mfa_failed), within the sign-in limits.
      await this.totp.verifyEither(principal.userId, input.code ?? '', client);
    }
    const until = await this.stepUp.prove(principal.sessionId);
    await this.audit.record('step_up', {
      actorId: principal.userId,
      target,
      data: { method: input.password !== undefined ? 'password' : 'code' },
      client,
    });
    return until;
  }

  async beginTotp(principal: Principal): Promise<{ secret: string; otpauthUri: string }> {
    await this.stepUp.assertRecent(principal.sessionId);
    return this.totp.begin(await this.users.getById(principal.userId));
  }

  confirmTotp(principal: Principal, code: string, client: ClientInfo): Promise<string[]> {
    // The enrolment began under a recent proof, and the code proves the app: no second check.
    return this.totp.confirm(principal.userId, code, client);
  }

  async disableTotp(principal: Principal, code: string, client: ClientInfo): Promise<void> {
    await this.stepUp.assertRecent(principal.sessionId);
    await this.totp.disable(principal.userId, code, client);
  }

  async regenerateRecoveryCodes(principal: Principal, client: ClientInfo): Promise<string[]> {
    await this.stepUp.assertRecent(principal.sessionId);
    return this.totp.regenerateRecoveryCodes(principal.userId, client);
  }
}
