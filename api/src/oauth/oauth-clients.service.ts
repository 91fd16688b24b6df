import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import type { ClientInfo } from '../auth/refresh-token.service.js';
import type { AppScope } from './app-scopes.js';
import { hashSecret, newClientId, newClientSecret, secretMatches } from './client-credentials.js';
import type { AppDto, AppWithSecretDto } from './dto/apps.dto.js';
import { type ClientType, OAuthClient } from './oauth-client.entity.js';

export interface AppInput {
  readonly name: string;
  readonly type: ClientType;
  readonly redirectUris: readonly string[];
  readonly scopes: readonly AppScope[];
}

export type AppChanges = Partial<Omit<AppInput, 'type'>>;

/** Who acts on an app: its owner from the API, or an operator from the control panel. */
interface Actor {
  readonly actorId: string;
  readonly client?: ClientInfo;
}

export function toAppDto(app: OAuthClient): AppDto {
  return {
    id: app.id,
    clientId: app.clientId,
    name: app.name,
    type: app.type,
    redirectUris: [...app.redirectUris],
    scopes: app.scopes as AppScope[],
    createdAt: app.createdAt.toISOString(),
    suspendedAt: app.suspendedAt?.toISOString() ?? null,
  };
}

/**
 * Registered apps (OAuth clients): what their owners do to them (register, change, new secret,
 * delete) and what operators do (register one owned by nobody, suspend, lift a suspension), every
 * change audited. Deleting an app deletes its codes, consents and sessions (foreign keys cascade),
 * so its tokens stop at once.
 */
@Injectable()
export class OAuthClientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditRepository,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(OAuthClient);
  }

  /** Registers an app owned by `ownerId` (null: by the operators); the secret is in the answer only. */
  async register(ownerId: string | null, input: AppInput, actor: Actor): Promise<AppWithSecretDto> {
    const secret = input.type === 'confidential' ? newClientSecret() : null;
    const app = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(OAuthClient, {
          clientId: newClientId(),
          name: input.name,
          ownerId,
          type: input.type,
          secretHash: secret === null ? null : hashSecret(secret),
          redirectUris: [...input.redirectUris],
          scopes: [...input.scopes],
          suspendedAt: null,
        }),
      );
      await this.record(manager, 'oauth_client_registered', saved, actor, {
        name: saved.name,
        type: saved.type,
        byOperator: ownerId === null,
      });
      return saved;
    });
    return Object.assign(toAppDto(app), { clientSecret: secret });
  }

  /** The apps `ownerId` registered, newest first. */
  async listOwned(ownerId: string): Promise<AppDto[]> {
    const apps = await this.repo.find({ where: { ownerId }, order: { createdAt: 'DESC' } });
    return apps.map(toAppDto);
  }

  async getOwned(ownerId: string, id: string): Promise<AppDto> {
    return toAppDto(await this.owned(ownerId, id));
  }

  async update(ownerId: string, id: string, changes: AppChanges, actor: Actor): Promise<AppDto> {
    const app = await this.owned(ownerId, id);
    if (changes.name !== undefined) app.name = changes.name;
    if (changes.redirectUris !== undefined) app.redirectUris = [...changes.redirectUris];
    if (changes.scopes !== undefined) app.scopes = [...changes.scopes];
    await this.dataSource.transaction(async (manager) => {
      await manager.save(app);
      await this.record(manager, 'oauth_client_updated', app, actor, { changed: Object.keys(changes) });
    });
    return toAppDto(app);
  }

  async remove(ownerId: string, id: string, actor: Actor): Promise<void> {
    const app = await this.owned(ownerId, id);
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(OAuthClient, { id: app.id });
      await this.record(manager, 'oauth_client_deleted', app, actor, { name: app.name });
    });
  }

  /** A new secret for a confidential app; the old one stops working at once. */
  async resetSecret(ownerId: string | null, id: string, actor: Actor): Promise<AppWithSecretDto> {
    const app = ownerId === null ? await this.get(id) : await this.owned(ownerId, id);
    if (app.type !== 'confidential') throw new NotFoundException('A public app has no secret.');
    const secret = newClientSecret();
    await this.dataSource.transaction(async (manager) => {
      await manager.update(OAuthClient, { id: app.id }, { secretHash: hashSecret(secret) });
      await this.record(manager, 'oauth_client_secret_reset', app, actor, {});
    });
    return Object.assign(toAppDto(app), { clientSecret: secret });
  }

  /** Every app, newest first, for the control panel. */
  async listAll(): Promise<OAuthClient[]> {
    return this.repo.find({ order: { createdAt: 'DESC' } });
  }

  /** Stops an app: no sign-ins, no tokens, and its live tokens fail on their next request. */
  async suspend(id: string, actor: Actor): Promise<AppDto> {
    const app = await this.get(id);
    if (app.suspendedAt) return toAppDto(app);
    app.suspendedAt = new Date();
    await this.dataSource.transaction(async (manager) => {
      await manager.update(OAuthClient, { id: app.id }, { suspendedAt: app.suspendedAt });
      await this.record(manager, 'oauth_client_suspended', app, actor, { name: app.name });
    });
    return toAppDto(app);
  }

  async unsuspend(id: string, actor: Actor): Promise<AppDto> {
    const app = await this.get(id);
    if (!app.suspendedAt) return toAppDto(app);
    app.suspendedAt = null;
    await this.dataSource.transaction(async (manager) => {
      await manager.update(OAuthClient, { id: app.id }, { suspendedAt: null });
      await this.record(manager, 'oauth_client_unsuspended', app, actor, { name: app.name });
    });
    return toAppDto(app);
  }

  /** The app a request names by its public client_id, suspended or not; null when there is none. */
  findByClientId(clientId: string): Promise<OAuthClient | null> {
    if (clientId.length > 64) return Promise.resolve(null);
    return this.repo.findOne({ where: { clientId } });
  }

  /**
   * The app whose client_id and secret these are (a confidential client's authentication), or a
   * public app named by its client_id with no secret. Null for anything else, suspended apps
   * included: the token endpoint answers invalid_client.
   */
  async authenticate(clientId: string, secret: string | undefined): Promise<OAuthClient | null> {
    if (clientId.length > 64) return null;
    const app = await this.repo
      .createQueryBuilder('c')
      .addSelect('c.secretHash')
      .where('c.clientId = :clientId AND c.suspendedAt IS NULL', { clientId })
      .getOne();
    if (!app) return null;
    if (app.type === 'public') return secret === undefined ? app : null;
    return secret !== undefined && secretMatches(secret, app.secretHash) ? app : null;
  }

  private async get(id: string): Promise<OAuthClient> {
    const app = await this.repo.findOne({ where: { id } });
    if (!app) throw new NotFoundException('No such app.');
    return app;
  }

  private async owned(ownerId: string, id: string): Promise<OAuthClient> {
    const app = await this.repo.findOne({ where: { id, ownerId } });
    if (!app) throw new NotFoundException('No such app of yours.');
    return app;
  }

  private record(
    manager: EntityManager,
    action: Parameters<AuditRepository['record']>[0],
    app: OAuthClient,
    actor: Actor,
    data: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(
      action,
      {
        actorId: actor.actorId,
        target: { type: 'oauth_client', id: app.id },
        data: { clientId: app.clientId, ...data },
        ...(actor.client ? { client: actor.client } : {}),
      },
      manager,
    );
  }
}
