// token-create: create a service token with the default policy, on durable SQLite storage.
import type { Scenario } from '../scenario.js';

export const tokenCreate: Scenario = {
  name: 'token-create',
  description: 'POST auth/token/create (service token, default policy) on a dev server with SQLite storage',
  serverArgs: '-dev-storage=sqlite',
  async setup() {
    return undefined;
  },
  request: ({ token }) => ({
    method: 'POST',
    path: '/v1/auth/token/create',
    headers: { 'X-Vault-Token': token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ policies: ['default'], no_default_policy: false, ttl: '1h' }),
  }),
};
