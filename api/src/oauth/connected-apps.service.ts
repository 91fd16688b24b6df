import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import type { ClientInfo } from '../auth/refresh-token.service.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import type { AppScope } from './app-scopes.js';
import type { ConnectedAppDto } from './dto/apps.dto.js';

interface ConnectedRow {
  id: string;
  client_id: string;
  name: string;
  owner_name: string | null;
  scopes: string[];
  connected_at: Date;
  last_used_at: Date | null;
}

/**
 * The apps a user allowed to act for them (their consents), and disconnecting one: the consent
 * goes and so does every token the app holds for the user, at once.
 */
@Injectable()
export class ConnectedAppsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditRepository,
  ) {}

  async list(userId: string): Promise<ConnectedAppDto[]> {
    const rows = await this.dataSource.query<ConnectedRow[]>(
      `SELECT c.id, c.client_id, c.name, o.display_name AS owner_name, g.scopes, g.created_at AS connected_at,
              (SELECT max(s.last_used_at) FROM sessions s WHERE s.user_id = g.user_id AND s.client_id = c.id)
                AS last_used_at
         FROM oauth_grants g
         JOIN oauth_clients c ON c.id = g.client_id
         LEFT JOIN users o ON o.id = c.owner_id
        WHERE g.user_id = $1
        ORDER BY g.created_at DESC`,
      [userId],
    );
    return rows.map((row) => ({
      clientId: row.client_id,
      name: row.name,
      ownerName: row.owner_name,
      scopes: row.scopes as AppScope[],
      connectedAt: row.connected_at.toISOString(),
      lastUsedAt: row.last_used_at?.toISOString() ?? null,
    }));
  }

  /** Forgets the consent to the app `clientId` (public id) and revokes its tokens for the user. */
  async disconnect(userId: string, clientId: string, client: ClientInfo): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // An UPDATE or DELETE answers [rows, count].
      const [[row]] = await manager.query<[{ id: string }[], number]>(
        `DELETE FROM oauth_grants g USING oauth_clients c
          WHERE g.client_id = c.id AND g.user_id = $1 AND c.client_id = $2
          RETURNING c.id`,
        [userId, clientId],
      );
      if (!row) throw new NotFoundException('No such connected app.');
      const revoked = await this.sessions.revokeForApp(userId, row.id, manager);
      await this.audit.record(
        'oauth_app_disconnected',
        {
          actorId: userId,
          target: { type: 'oauth_client', id: row.id },
          data: { clientId, revokedTokens: revoked },
          client,
        },
        manager,
      );
    });
  }
}
