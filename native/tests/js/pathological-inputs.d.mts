export const PATHOLOGICAL_INPUTS: ReadonlyArray<[string, string]>;
export function entityRuns(bytes: number): Array<[string, string]>;
