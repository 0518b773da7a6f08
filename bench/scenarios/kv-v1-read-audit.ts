// kv-v1-read-audit: kv-v1-read with a file audit device enabled (compare with kv-v1-read).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomValue } from '../scenario.js';
import type { Scenario } from '../scenario.js';

export const kvV1ReadAudit: Scenario = {
  name: 'kv-v1-read-audit',
  description: 'GET one 64-character secret from a kv (version 1) mount, with a file audit device enabled',
  async setup(client) {
    await client.call('POST', '/v1/sys/mounts/bench-kv', { type: 'kv', options: { version: '1' } });
    await client.call('POST', '/v1/bench-kv/item', { value: randomValue(64) });
    const file = join(tmpdir(), `coffer-bench-audit-${randomValue(8)}.log`);
    await client.call('PUT', '/v1/sys/audit/file', { type: 'file', options: { file_path: file } });
    return { auditFile: file };
  },
  request: ({ token }) => ({ method: 'GET', path: '/v1/bench-kv/item', headers: { 'X-Vault-Token': token } }),
};
