/**
 * V8 heap settings the panel process runs with (docs/performance.md has the measurements). Its
 * live heap is about 85 MB, but with V8's defaults (a young generation that grows with the
 * machine's memory, an old generation sized for it) the process held 330 MB idle in production;
 * collecting young objects from a 2 MB space and capping the old generation at 192 MB keeps it
 * under its 200 MB budget, and an operator's browsing does not push it past that. Whoever starts
 * the panel passes them: `npm start`, `npm run start -w @nuell/admin`, the benchmark and the
 * container image.
 */
export const PANEL_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--max-old-space-size=192'];
