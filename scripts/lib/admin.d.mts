export function startControlPanel(
  env: Record<string, string | undefined>,
  onExit: (how: string) => void,
  onSpawn?: (handle: { url: string; stop(): Promise<void> }) => void,
): Promise<{ url: string; stop(): Promise<void> }>;
