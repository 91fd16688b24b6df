export const ROOT: string;
export const DATA_DIR: string;
export const PORTS: Readonly<{
  PORT: number;
  WEB_PORT: number;
  ADMIN_PORT: number;
  EMBEDDED_PG_PORT: number;
  MAILDEV_SMTP_PORT: number;
  MAILDEV_WEB_PORT: number;
}>;
export function port(name: keyof typeof PORTS): number;
export function assertPortFree(port: number, variable: string): Promise<void>;
export function startMailCatcher(
  env: Record<string, string | undefined>,
): Promise<{ inbox: string; smtpUrl: string; stop(): Promise<void> } | null>;
