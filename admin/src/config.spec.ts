import { ConfigError, environmentDefaults } from '@nuell/api';
import {
  configurationDocProblems,
  documentedConfiguration,
  undeclaredVariables,
} from '../../scripts/lib/config-docs.mjs';
import { PORTS } from '../../scripts/lib/dev-env.mjs';
import { loadPanelConfig, panelEnvironmentDefaults } from './config.js';

const api = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', JWT_SECRET: 'Hk2vQ9sLw0Zp7TnR4xYc8JmB1dGf6aEu' };

describe('loadPanelConfig', () => {
  it('listens on ADMIN_PORT and is opened at ADMIN_URL, by default 3002 and PUBLIC_URL + /cp', () => {
    expect(loadPanelConfig(api)).toMatchObject({ port: 3002, url: 'http://localhost:3000/cp' });
    expect(loadPanelConfig({ ...api, PUBLIC_URL: 'https://app.example' })).toMatchObject({
      url: 'https://app.example/cp',
    });
    const { port, url } = loadPanelConfig({ ...api, ADMIN_PORT: '4002', ADMIN_URL: 'https://ops.example/cp/' });
    expect({ port, url }).toEqual({ port: 4002, url: 'https://ops.example/cp' });
  });

  it("names the API's bad variables and its own together", () => {
    expect(() => loadPanelConfig({ ADMIN_PORT: 'x', ADMIN_URL: 'https://ops.example/admin' })).toThrow(
      new ConfigError([
        'DATABASE_URL: DATABASE_URL is required',
        'JWT_SECRET: JWT_SECRET is required',
        'ADMIN_PORT: must be a port number (1–65535)',
        "ADMIN_URL: must be the panel's address, an http(s) origin followed by /cp",
      ]),
    );
    // Unset, ADMIN_URL follows PUBLIC_URL, whose own problem is the API's to name.
    expect(() => loadPanelConfig({ ...api, PUBLIC_URL: 'ftp://app.example' })).toThrow(
      new ConfigError(['PUBLIC_URL: PUBLIC_URL must be an origin like https://app.example.com (no path)']),
    );
  });

  it('takes the defaults it lists for the documentation', () => {
    expect(loadPanelConfig({ ...api, ...panelEnvironmentDefaults() })).toEqual(loadPanelConfig(api));
  });
});

describe('the documented configuration', () => {
  const docs = documentedConfiguration();

  it("has the panel's variables with their defaults", () => {
    expect(configurationDocProblems(panelEnvironmentDefaults(), docs)).toEqual([]);
  });

  it('lists only variables that the API, the panel or npm start reads', () => {
    const declared = [
      ...Object.keys(environmentDefaults()),
      ...Object.keys(panelEnvironmentDefaults()),
      ...Object.keys(PORTS),
    ];
    expect(undeclaredVariables(docs, declared)).toEqual([]);
  });
});

describe('the panel process', () => {
  it('is started with the same heap settings by npm and by the container image', async () => {
    const { readFileSync } = await import('node:fs');
    const { PANEL_NODE_FLAGS } = await import('./node-flags.js');
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      scripts: { start: string };
    };
    expect(pkg.scripts.start).toBe(`node ${PANEL_NODE_FLAGS.join(' ')} dist/main.js`);
    const dockerfile = readFileSync(new URL('../../docker/admin.Dockerfile', import.meta.url), 'utf8');
    const exec = ['node', ...PANEL_NODE_FLAGS, 'admin/dist/main.js'].map((part) => JSON.stringify(part)).join(', ');
    expect(dockerfile).toContain(`CMD [${exec}]`);
  });
});
