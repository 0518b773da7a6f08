// kv-v2-write: durable KV v2 writes of distinct secrets (a unique key per request) on a dev server
// with SQLite storage.
import { randomValue } from '../scenario.js';
import type { Scenario } from '../scenario.js';

export const kvV2Write: Scenario = {
  name: 'kv-v2-write',
  description: 'POST secret/data/item-<unique id> (KV version 2) on SQLite storage',
  serverArgs: '-dev-storage=sqlite',
  async setup() {
    return undefined;
  },
  request: ({ token }) => ({
    method: 'POST',
    path: '/v1/secret/data/item-[<id>]',
    headers: { 'X-Vault-Token': token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ data: { value: randomValue(64) } }),
  }),
};
