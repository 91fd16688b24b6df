/**
 * Passkeys (WebAuthn credentials, checked with @simplewebauthn/server): a signed-in user registers
 * them, lists, renames and removes them, and then signs in with one instead of the password and
 * the authenticator code, or confirms with one that it is them (step-up).
 *
 * Every ceremony asks for user verification (the authenticator's PIN or biometric check), so a
 * passkey is two factors in itself, something held and something known or been: that is what
 * lets it replace the password and the code. An authenticator that cannot verify its user cannot
 * register, rather than register a passkey that could never sign in.
 */
import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  type VerifiedRegistrationResponse,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { describeDevice } from '../auth/device.js';
import { OperatorAccountService } from '../auth/operator-account.service.js';
import type { ClientInfo } from '../auth/refresh-token.service.js';
import { AccountSuspended } from '../auth/suspension.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ValidationProblem } from '../http/problem.js';
import { MailService } from '../mail/mail.service.js';
import { templates } from '../mail/templates.js';
import { StepUp } from '../mfa/step-up.js';
import type { Principal } from '../policy/access.js';
import type { User } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import {
  type AddPasskeyDto,
  knownTransports,
  type PasskeyCreationOptionsDto,
  type PasskeyDto,
  type PasskeyRequestOptionsDto,
  toPasskeyDto,
} from './dto/passkeys.dto.js';
import { Passkey } from './passkey.entity.js';
import { CEREMONY_MS, type RelyingParty, relyingPartyOf, userHandleOf } from './relying-party.js';
import { WebAuthnChallenges } from './webauthn-challenges.js';

/** 401 for every passkey sign-in that fails, whatever the reason: the audit log keeps it. */
export class PasskeySignInFailed extends UnauthorizedException {
  constructor(detail = 'This passkey could not sign you in.') {
    super(detail);
  }
}

const field = (name: string, detail: string) => new ValidationProblem([{ field: name, pointer: `/${name}`, detail }]);

const expiredChallenge = () =>
  field('challengeId', 'This passkey request has expired or was already answered. Start again.');

/** Why a passkey ceremony failed, for the audit log. */
type FailureReason =
  'challenge' | 'unknown_passkey' | 'other_account' | 'verification' | 'counter_went_back' | 'inactive';

/** A passkey that answered a challenge, its signature checked. */
interface Asserted {
  readonly passkey: Passkey;
  readonly newCounter: number;
}

class AssertionRefused extends Error {
  constructor(
    readonly reason: FailureReason,
    readonly passkey: Passkey | null,
    readonly details: Record<string, unknown> = {},
  ) {
    super(reason);
  }
}

@Injectable()
export class PasskeysService {
  private readonly logger = new Logger(PasskeysService.name);
  private readonly rp: RelyingParty;
  private readonly settingsUrl: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly challenges: WebAuthnChallenges,
    private readonly stepUp: StepUp,
    private readonly audit: AuditRepository,
    private readonly mail: MailService,
    private readonly accounts: OperatorAccountService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.rp = relyingPartyOf(config);
    this.settingsUrl = new URL('/settings#security', config.publicUrl).href;
  }

  private passkeys(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(Passkey);
  }

  /** The account's passkeys, oldest first. */
  async list(userId: string): Promise<PasskeyDto[]> {
    const rows = await this.passkeys().find({ where: { userId }, order: { createdAt: 'ASC' } });
    return rows.map(toPasskeyDto);
  }

  private async own(userId: string, id: string, manager?: EntityManager): Promise<Passkey> {
    const passkey = await this.passkeys(manager).findOneBy({ id, userId });
    if (!passkey) throw new NotFoundException('No such passkey of yours.');
    return passkey;
  }

  // Registration.

  /** Options to make a new passkey; the session must have proven presence recently. */
  async registrationOptions(principal: Principal): Promise<PasskeyCreationOptionsDto> {
    await this.stepUp.assertRecent(principal.sessionId);
    const user = await this.users.getById(principal.userId);
    const existing = await this.passkeys().find({ where: { userId: user.id }, order: { createdAt: 'ASC' } });
    const options = await generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rp.id,
      userName: user.email,
      userID: userHandleOf(user.id),
      userDisplayName: user.displayName,
      timeout: CEREMONY_MS,
      attestationType: 'none',
      // The same authenticator twice would be one passkey listed twice.
      excludeCredentials: existing.map((p) => ({
        id: p.credentialId,
        ...(p.transports ? { transports: p.transports.split(',') } : {}),
      })),
      // Discoverable (resident) keys, so the sign-in needs no e-mail address first.
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    });
    return { challengeId: await this.challenges.issue('register', user.id, options.challenge), options };
  }

  /** Checks the browser's answer and keeps the new passkey; audited, and the owner is told by e-mail. */
  async register(principal: Principal, body: AddPasskeyDto, client: ClientInfo): Promise<PasskeyDto> {
    const challenge = await this.challenges.take(body.challengeId, 'register', principal.userId);
    if (challenge === null) throw expiredChallenge();
    const credential: RegistrationResponseJSON = body.credential;
    let info: VerifiedRegistrationResponse['registrationInfo'];
    try {
      const verified = await verifyRegistrationResponse({
        response: credential,
        expectedChallenge: challenge,
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rp.id,
        requireUserVerification: true,
      });
      info = verified.verified ? verified.registrationInfo : undefined;
    } catch (error) {
      this.logger.debug({ err: error, userId: principal.userId }, 'passkey registration refused');
    }
    // The id the authenticator put in its signed data must be the one the answer names: the checked
    // field's length limit then holds for what is stored, and sign-ins find the passkey by that id.
    if (!info || info.credential.id !== credential.id) {
      throw field(
        'credential',
        'This passkey could not be added: the answer is not for this site or this request, or the authenticator did not verify you. Try again.',
      );
    }
    const user = await this.users.getById(principal.userId);
    const name = body.name ?? (await this.defaultName(user.id, client.userAgent));
    const transports = knownTransports(info.credential.transports ?? credential.response.transports).join(',');
    try {
      const passkey = await this.dataSource.transaction(async (manager) => {
        const saved = await this.passkeys(manager).save(
          this.passkeys(manager).create({
            userId: user.id,
            credentialId: info.credential.id,
            publicKey: Buffer.from(info.credential.publicKey),
            counter: String(info.credential.counter),
            transports: transports || null,
            name,
            deviceType: info.credentialDeviceType,
            backedUp: info.credentialBackedUp,
          }),
        );
        await this.audit.record(
          'passkey_added',
          {
            actorId: user.id,
            target: { type: 'user', id: user.id },
            data: { passkey: saved.id, name, deviceType: saved.deviceType, backedUp: saved.backedUp },
            client,
          },
          manager,
        );
        await this.mail.send(
          user.email,
          templates.factorAdded(user.displayName, this.factorInWords(name), this.settingsUrl),
          manager,
        );
        return saved;
      });
      return toPasskeyDto(passkey);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw new ConflictException('This passkey is registered already.');
      }
      throw error;
    }
  }

  /**
   * The browser and system the passkey was made on ("Chrome on Linux"), numbered when the account
   * has one of that name already ("Chrome on Linux 2"), so the list tells them apart.
   */
  private async defaultName(userId: string, userAgent: string | null): Promise<string> {
    const base = describeDevice(userAgent).slice(0, 70);
    const taken = new Set(
      (await this.passkeys().find({ where: { userId }, select: { name: true } })).map((p) => p.name),
    );
    if (!taken.has(base)) return base;
    for (let n = 2; ; n += 1) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`;
  }

  private factorInWords(name: string): string {
    return `the passkey “${name}”`;
  }

  // Rename and removal.

  async rename(principal: Principal, id: string, name: string, client: ClientInfo): Promise<PasskeyDto> {
    return this.dataSource.transaction(async (manager) => {
      const passkey = await this.own(principal.userId, id, manager);
      const before = passkey.name;
      if (before === name) return toPasskeyDto(passkey);
      passkey.name = name;
      const saved = await this.passkeys(manager).save(passkey);
      await this.audit.record(
        'passkey_renamed',
        {
          actorId: principal.userId,
          target: { type: 'user', id: principal.userId },
          data: { passkey: id, from: before, to: name },
          client,
        },
        manager,
      );
      return toPasskeyDto(saved);
    });
  }

  /** Removes a passkey (it signs in no more); the session must have proven presence recently. */
  async remove(principal: Principal, id: string, client: ClientInfo): Promise<void> {
    await this.stepUp.assertRecent(principal.sessionId);
    const user = await this.users.getById(principal.userId);
    await this.dataSource.transaction(async (manager) => {
      const passkey = await this.own(user.id, id, manager);
      await this.passkeys(manager).delete({ id: passkey.id });
      await this.audit.record(
        'passkey_removed',
        {
          actorId: user.id,
          target: { type: 'user', id: user.id },
          data: { passkey: passkey.id, name: passkey.name },
          client,
        },
        manager,
      );
      await this.mail.send(
        user.email,
        templates.factorRemoved(user.displayName, this.factorInWords(passkey.name), this.settingsUrl),
        manager,
      );
    });
  }

  // Sign-in and step-up.

  /** Options for a sign-in with any passkey of this site the browser knows (discoverable credentials). */
  async signInOptions(): Promise<PasskeyRequestOptionsDto> {
    const options = await generateAuthenticationOptions({
      rpID: this.rp.id,
      timeout: CEREMONY_MS,
      userVerification: 'required',
    });
    return { challengeId: await this.challenges.issue('sign_in', null, options.challenge), options };
  }

  /**
   * The account a passkey signs in to: the answer checked, the passkey's counter moved on. Every
   * failure is audited (passkey_login_failed) and answers the same 401, except a suspended
   * account, which answers 403 account-suspended as a password sign-in does once the password is
   * right: the passkey proved it is the owner.
   */
  async signIn(challengeId: string, credential: AuthenticationResponseJSON, client: ClientInfo): Promise<User> {
    let asserted: Asserted;
    try {
      asserted = await this.assert(challengeId, 'sign_in', null, credential);
    } catch (error) {
      if (!(error instanceof AssertionRefused)) throw error;
      await this.failed('passkey_login_failed', error, client);
      throw new PasskeySignInFailed(
        error.reason === 'unknown_passkey'
          ? 'This passkey could not sign you in: it is not registered here, or it was removed from its account. Sign in with your password.'
          : error.reason === 'challenge'
            ? 'This passkey could not sign you in: the sign-in expired or was already used. Try again.'
            : undefined,
      );
    }
    const { passkey } = asserted;
    let user = await this.users.getById(passkey.userId);
    if (!user.isActive && user.suspendedUntil && user.suspendedUntil.getTime() <= Date.now()) {
      // The suspension has ended and the sweep has not come by yet: lift it now.
      await this.accounts.liftEnded(user.id);
      user = await this.users.getById(user.id);
    }
    if (!user.isActive) {
      await this.failed('passkey_login_failed', new AssertionRefused('inactive', passkey), client);
      throw new AccountSuspended(user.suspendedUntil, user.suspensionMessage);
    }
    if (!(await this.used(asserted))) throw new PasskeySignInFailed();
    return user;
  }

  /** Options to confirm it is you with one of your passkeys. */
  async stepUpOptions(principal: Principal): Promise<PasskeyRequestOptionsDto> {
    const mine = await this.passkeys().find({ where: { userId: principal.userId }, order: { createdAt: 'ASC' } });
    if (mine.length === 0) {
      throw new ConflictException('You have no passkey: confirm with your password or an authenticator code instead.');
    }
    const options = await generateAuthenticationOptions({
      rpID: this.rp.id,
      timeout: CEREMONY_MS,
      userVerification: 'required',
      allowCredentials: mine.map((p) => ({
        id: p.credentialId,
        ...(p.transports ? { transports: p.transports.split(',') } : {}),
      })),
    });
    return { challengeId: await this.challenges.issue('step_up', principal.userId, options.challenge), options };
  }

  /** Proves presence for the session with a passkey of its account; answers until when it holds. */
  async stepUpWith(
    principal: Principal,
    challengeId: string,
    credential: AuthenticationResponseJSON,
    client: ClientInfo,
  ): Promise<Date> {
    let asserted: Asserted;
    try {
      asserted = await this.assert(challengeId, 'step_up', principal.userId, credential);
    } catch (error) {
      if (!(error instanceof AssertionRefused)) throw error;
      await this.failed('step_up_failed', error, client, principal.userId);
      if (error.reason === 'challenge') throw expiredChallenge();
      throw field('credential', 'This passkey could not confirm it is you. Try again, or use your password.');
    }
    if (!(await this.used(asserted))) {
      throw field('credential', 'This passkey could not confirm it is you. Try again, or use your password.');
    }
    const until = await this.stepUp.prove(principal.sessionId);
    await this.audit.record('step_up', {
      actorId: principal.userId,
      target: { type: 'user', id: principal.userId },
      data: { method: 'passkey', passkey: asserted.passkey.id, session: principal.sessionId },
      client,
    });
    return until;
  }

  /**
   * Checks an answer to a challenge of `purpose`: the challenge is spent whatever follows; then
   * the passkey must exist (and be `userId`'s, when given), the signature, origin, RP ID and user
   * verification must hold, and the signature counter must have moved on.
   */
  private async assert(
    challengeId: string,
    purpose: 'sign_in' | 'step_up',
    userId: string | null,
    credential: AuthenticationResponseJSON,
  ): Promise<Asserted> {
    const challenge = await this.challenges.take(challengeId, purpose, userId);
    if (challenge === null) throw new AssertionRefused('challenge', null, { credentialId: credential.id });
    const passkey = await this.passkeys()
      .createQueryBuilder('p')
      .addSelect('p.publicKey')
      .where('p.credentialId = :id', { id: credential.id })
      .getOne();
    if (!passkey) throw new AssertionRefused('unknown_passkey', null, { credentialId: credential.id });
    const handle = credential.response.userHandle;
    if (
      (userId !== null && passkey.userId !== userId) ||
      (handle && handle !== Buffer.from(userHandleOf(passkey.userId)).toString('base64url'))
    ) {
      throw new AssertionRefused('other_account', passkey);
    }
    const stored = Number(passkey.counter);
    let newCounter: number;
    try {
      const verified = await verifyAuthenticationResponse({
        response: credential,
        expectedChallenge: challenge,
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rp.id,
        // The counter is compared below, once the signature is known to be good: a counter that
        // went back is then evidence of a cloned authenticator, not the noise of a forged answer.
        credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: 0 },
        requireUserVerification: true,
      });
      if (!verified.verified) throw new Error('the signature does not match the passkey');
      newCounter = verified.authenticationInfo.newCounter;
    } catch (error) {
      throw new AssertionRefused('verification', passkey, {
        // The library's reason, for the operator reading the log; it may quote the bytes it was
        // sent, and PostgreSQL's jsonb takes no NUL, so control characters go.
        why: error instanceof Error ? error.message.replace(/\p{Cc}/gu, '?').slice(0, 200) : 'unknown',
      });
    }
    // WebAuthn §7.2 step 22: authenticators that count must count up. (Those that keep no counter,
    // most synced passkeys, always say 0.)
    if ((newCounter > 0 || stored > 0) && newCounter <= stored) {
      throw new AssertionRefused('counter_went_back', passkey, { stored, received: newCounter });
    }
    return { passkey, newCounter };
  }

  /**
   * Records the use: the counter (only forwards, so of two answers racing with one counter value,
   * one loses), and when it was last used.
   */
  private async used({ passkey, newCounter }: Asserted): Promise<boolean> {
    const [, moved] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE passkeys SET counter = $2, last_used_at = now(), updated_at = now()
        WHERE id = $1 AND (counter < $2 OR (counter = 0 AND $2 = 0))`,
      [passkey.id, newCounter],
    );
    return moved > 0;
  }

  /**
   * Audits a refused ceremony: against the signed-in account for a step-up, else against the
   * account whose passkey it was, if the site knows it.
   */
  private async failed(
    action: 'passkey_login_failed' | 'step_up_failed',
    refusal: AssertionRefused,
    client: ClientInfo,
    userId: string | null = refusal.passkey?.userId ?? null,
  ): Promise<void> {
    await this.audit.record(action, {
      actorId: userId,
      target: { type: 'user', id: userId },
      data: {
        ...(action === 'step_up_failed' ? { method: 'passkey' } : {}),
        reason: refusal.reason,
        ...(refusal.passkey ? { passkey: refusal.passkey.id } : {}),
        ...refusal.details,
      },
      client,
    });
  }
}
