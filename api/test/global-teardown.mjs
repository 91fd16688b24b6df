export default async function globalTeardown() {
  await globalThis.__NUELL_PG__?.stop();
}
