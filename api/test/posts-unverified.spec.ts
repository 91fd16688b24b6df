/** REQUIRE_VERIFIED_EMAIL=false: an operator may let accounts publish before they verify. */
import { bearer, json, login, register } from './support/accounts.js';
import { useTestApp } from './support/app.js';

const api = useTestApp({ env: { REQUIRE_VERIFIED_EMAIL: 'false' } });

it('lets unverified accounts write and preview posts', async () => {
  const account = await register(api.url);
  const { accessToken } = await login(api.url, account);
  for (const [path, status] of [
    ['/posts', 201],
    ['/posts/preview', 200],
  ] as const) {
    const res = await fetch(`${api.url}/api/v1${path}`, bearer(accessToken, json({ content: 'Hello' })));
    expect(res.status).toBe(status);
  }
});
