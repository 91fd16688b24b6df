export function isPortFree(port: number, host?: string): Promise<boolean>;
export function freePort(): Promise<number>;
export interface EmbeddedServer {
  readonly url: string;
  stop(): Promise<void>;
}
export function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  password: string;
  database?: string;
  persistent?: boolean;
}): Promise<EmbeddedServer>;
export class ServerRunning extends Error {
  readonly pid: number;
}
export function embeddedUrl(options: { port: number; password: string; database?: string }): string;
export interface ThrowawayPostgres {
  readonly dir: string;
  readonly options: { dataDir: string; port: number; password: string; database: string; persistent: boolean };
  readonly server: EmbeddedServer;
}
export function startThrowawayPostgres(options: {
  prefix: string;
  database: string;
  persistent?: boolean;
}): Promise<ThrowawayPostgres>;
