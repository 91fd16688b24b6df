import { User } from '../src/users/user.entity.js';
import { bearer, login, register } from './support/accounts.js';
import { useTestApp } from './support/app.js';
import { ProbeModule } from './support/probe.module.js';

const api = useTestApp({ extraModules: [ProbeModule] });

describe('deny by default', () => {
  it('requires a token on any route not marked public', async () => {
    const res = await fetch(`${api.url}/api/v1/probe-private`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="nuell"');
    expect((await fetch(`${api.url}/api/v1/probe-private`, bearer('x.y'))).status).toBe(401);
  });

  it('keeps admin routes to admins, reading the role from the database on every request', async () => {
    const account = await register(api.url);
    const { accessToken } = await login(api.url, account);
    expect((await fetch(`${api.url}/api/v1/probe-private`, bearer(accessToken))).status).toBe(200);
    const denied = await fetch(`${api.url}/api/v1/probe-private/admin`, bearer(accessToken));
    expect(denied.status).toBe(403);
    expect(denied.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const user = await api.db.getRepository(User).findOneByOrFail({ id: account.id });
    user.role = 'admin';
    await api.db.getRepository(User).save(user);
    expect((await fetch(`${api.url}/api/v1/probe-private/admin`, bearer(accessToken))).status).toBe(200);
  });
});
