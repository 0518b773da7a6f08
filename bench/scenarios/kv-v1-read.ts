// kv-v1-read: read one small secret from a KV version 1 mount with the root token.
import { randomValue } from '../scenario.js';
import type { Scenario } from '../scenario.js';

export const kvV1Read: Scenario = {
  name: 'kv-v1-read',
  description: 'GET one 64-character secret from a kv (version 1) mount',
  async setup(client) {
    await client.call('POST', '/v1/sys/mounts/bench-kv', { type: 'kv', options: { version: '1' } });
    await client.call('POST', '/v1/bench-kv/item', { value: randomValue(64) });
    return undefined;
  },
  request: ({ token }) => ({ method: 'GET', path: '/v1/bench-kv/item', headers: { 'X-Vault-Token': token } }),
};
