export const ROOT: string;
export const DATA_DIR: string;
export function port(name: string, fallback: number): number;
export function assertPortFree(port: number, variable: string): Promise<void>;
export function startMailCatcher(
  env: Record<string, string | undefined>,
): Promise<{ inbox: string; smtpUrl: string; stop(): Promise<void> } | null>;
