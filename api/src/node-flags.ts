/**
 * V8 heap settings the API process runs with (docs/performance.md has the measurements): young
 * objects are collected from a 2 MB space instead of V8's default, which grows with the machine's
 * memory (past 100 MB on 24 GiB), and the old generation is capped at 256 MB, so V8 collects
 * before it grows. The live heap is about 55 MB; with these the process holds about 145 MB idle
 * and 230 MB under sustained load, against 176 and 424 MB with the defaults. A larger young space
 * is faster (about 40 µs less per feed request at 8 MB) but adds 12-14 MB idle, and the process
 * already idles at 166-169 MB of its 170 MB budget (docs/performance.md). Whoever starts the API passes them: `npm start`, `npm run start -w @nuell/api`, the
 * benchmarks and the container image.
 */
export const API_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--max-old-space-size=256'];

/**
 * The environment the API process starts with, for the C allocator, which reads it before any
 * code runs. argon2 takes 19 MiB per hash on one of libuv's four threads; after the first, glibc
 * raises its mmap threshold and serves the next from the arena of whichever thread runs it, and
 * an arena keeps what was freed in it. By default every thread gets an arena of its own, so after
 * a few sign-ins each pool thread held 19 MiB for good (76 MiB; docs/performance.md). With two
 * arenas, about as much stays as the hashes that ran at once took, and the next sign-ins reuse
 * it. (A fixed mmap threshold would give each hash's memory back at once, but faulting 19 MiB in
 * afresh made every hash about 50% slower.) Passed wherever API_NODE_FLAGS are; a value already
 * set in the environment wins.
 */
export const API_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
