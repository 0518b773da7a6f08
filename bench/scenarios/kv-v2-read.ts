// kv-v2-read: read the latest version of one small secret from the dev server's KV v2 mount.
import { randomValue } from '../scenario.js';
import type { Scenario } from '../scenario.js';

export const kvV2Read: Scenario = {
  name: 'kv-v2-read',
  description: 'GET secret/data/item (KV version 2, latest version) with the root token',
  async setup(client) {
    await client.call('POST', '/v1/secret/data/item', { data: { value: randomValue(64) } });
    return undefined;
  },
  request: ({ token }) => ({ method: 'GET', path: '/v1/secret/data/item', headers: { 'X-Vault-Token': token } }),
};
