export function startControlPanel(
  env: Record<string, string | undefined>,
  onExit: (how: string) => void,
): Promise<{ url: string; stop(): Promise<void> }>;
