export function exercisePage(selector: string): Promise<{ elements: number; protocols: string[] }>;
