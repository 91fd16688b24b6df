export default async function globalTeardown() {
  await globalThis.__NUELL_MAIL__?.stop();
  await globalThis.__NUELL_PG__?.stop();
}
