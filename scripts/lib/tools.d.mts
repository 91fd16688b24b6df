export const TOOLS_DIR: string;
export function hadolint(): Promise<string>;
export function schemathesis(): Promise<string>;
export function composeCheck(): Promise<string>;
export function postgresClientBin(): Promise<string>;
