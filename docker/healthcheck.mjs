/**
 * The images' HEALTHCHECK: exits 0 when the process in this container answers its readiness
 * probe (the database answers, and it is not draining), 1 otherwise.
 *
 *   node docker/healthcheck.mjs api|admin
 */
const probes = {
  api: `http://127.0.0.1:${process.env.PORT || 3001}/api/health/ready`,
  admin: `http://127.0.0.1:${process.env.ADMIN_PORT || 3002}/cp/health/ready`,
};
const url = probes[process.argv[2]];
if (!url) {
  console.error('usage: node docker/healthcheck.mjs api|admin');
  process.exit(2);
}
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
