/**
 * The API's apps and signing-keys services as the panel's OperatorApps and OperatorSigningKeys
 * (third-party.ts): the registration form checked with the API's own rules (RegisterAppDto) and
 * its refusals in the operator's words, the published keys read from their table.
 */
import { MoreThan, type DataSource } from 'typeorm';
import { RegisterAppDto, SigningKey, validated, ValidationProblem } from '@nuell/api';
import type { OperatorApps, OperatorSigningKeys } from './third-party.js';

/** The API's apps service, as much of it as the panel uses (OAuthClientsService). */
interface AppsService {
  register(
    ownerId: null,
    input: RegisterAppDto,
    actor: { actorId: string },
  ): Promise<{
    id: string;
    clientId: string;
    name: string;
    type: 'public' | 'confidential';
    clientSecret: string | null;
  }>;
  suspend(id: string, actor: { actorId: string }): Promise<unknown>;
  unsuspend(id: string, actor: { actorId: string }): Promise<unknown>;
}

/** The form's fields in the operator's words: "redirectUris must …" reads "The redirect URIs must …". */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  name: 'The name',
  type: 'The kind of app',
  redirectUris: 'The redirect URIs',
  scopes: 'The scopes',
};

function inWords(problem: ValidationProblem): ValidationProblem {
  return new ValidationProblem(
    problem.errors.map((e) => {
      const field = e.field.split('.')[0] ?? e.field;
      const words = FIELD_WORDS[field];
      let detail = e.detail;
      if (words && detail.startsWith(`${field} `)) detail = `${words}${detail.slice(field.length)}`;
      else if (words && detail.startsWith(`each of ${field} `))
        detail = `Each of ${words.toLowerCase()}${detail.slice(`each of ${field}`.length)}`;
      return { ...e, field, detail: /[.!?]$/.test(detail) ? detail : `${detail}.` };
    }),
  );
}

/** Registration, suspension and its lifting, by the API's OAuthClientsService, the form checked as the API checks it. */
export function operatorApps(clients: AppsService): OperatorApps {
  return {
    register: async (actorId, input) => {
      let checked: RegisterAppDto;
      try {
        checked = await validated(RegisterAppDto, { ...input });
      } catch (error) {
        throw error instanceof ValidationProblem ? inWords(error) : error;
      }
      const app = await clients.register(null, checked, { actorId });
      return { id: app.id, clientId: app.clientId, name: app.name, type: app.type, clientSecret: app.clientSecret };
    },
    suspend: async (actorId, id) => {
      await clients.suspend(id, { actorId });
    },
    unsuspend: async (actorId, id) => {
      await clients.unsuspend(id, { actorId });
    },
  };
}

/** The published keys from the `signing_keys` table (never the private part), and the API's rotation. */
export function operatorSigningKeys(
  dataSource: DataSource,
  keys: { rotate(actorId: string | null): Promise<string> },
): OperatorSigningKeys {
  return {
    list: async () => {
      const published = await dataSource
        .getRepository(SigningKey)
        .find({ where: { retireAfter: MoreThan(new Date()) }, order: { createdAt: 'DESC' } });
      const now = Date.now();
      const signing = published.find((key) => key.signsUntil.getTime() > now);
      return published.map((key) => ({
        kid: key.kid,
        algorithm: key.alg,
        createdAt: key.createdAt.toISOString(),
        current: key === signing,
        signsUntil: key.signsUntil.toISOString(),
        publishedUntil: key.retireAfter.toISOString(),
      }));
    },
    rotate: async (actorId) => {
      await keys.rotate(actorId);
    },
  };
}
