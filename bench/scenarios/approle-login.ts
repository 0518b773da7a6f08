// approle-login: log in with a role_id and secret_id (service token issued) on durable SQLite storage.
import type { Scenario } from '../scenario.js';

export const approleLogin: Scenario = {
  name: 'approle-login',
  description: 'POST auth/approle/login (service token, reusable SecretID) on a dev server with SQLite storage',
  serverArgs: '-dev-storage=sqlite',
  async setup(client) {
    await client.call('POST', '/v1/sys/auth/approle', { type: 'approle' });
    await client.call('POST', '/v1/auth/approle/role/bench', { token_policies: ['default'], token_ttl: '1h', token_type: 'service' });
    const roleId = (await client.call('GET', '/v1/auth/approle/role/bench/role-id')) as { data?: { role_id?: string } };
    const secret = (await client.call('POST', '/v1/auth/approle/role/bench/secret-id')) as { data?: { secret_id?: string } };
    return { roleId: roleId.data?.role_id ?? '', secretId: secret.data?.secret_id ?? '' };
  },
  request: ({ vars }) => ({
    method: 'POST',
    path: '/v1/auth/approle/login',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ role_id: vars['roleId'], secret_id: vars['secretId'] }),
  }),
};
