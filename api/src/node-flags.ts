/**
 * V8 heap settings the API process runs with (docs/performance.md has the measurements): young
 * objects are collected from a 2 MB space instead of V8's default, which grows with the machine's
 * memory (past 100 MB on 24 GiB), and the old generation is capped at 256 MB, so V8 collects
 * before it grows. The live heap is about 55 MB; with these the process holds about 145 MB idle
 * and 230 MB under sustained load, against 176 and 424 MB with the defaults. A larger young space
 * is faster (about 40 µs less per feed request at 8 MB) but takes the idle size past its 150 MB
 * budget. Whoever starts the API passes them: `npm start`, `npm run start -w @nuell/api`, the
 * benchmarks and the container image.
 */
export const API_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--max-old-space-size=256'];
