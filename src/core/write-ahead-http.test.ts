// Specification: a secret's write-ahead record (SecretGrant.writeAheadKey) is deleted by the core
// once the lease is stored, so only secrets that never got a lease leave one behind.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BackendFactory } from '../sdk/index.js';
import { createBackend, definePath, listResponse, putJson } from '../sdk/index.js';
import type { TestServer } from '../testing/index.js';
import { startDevServer } from '../testing/index.js';

const engine: BackendFactory = async (config) =>
  createBackend({
    secretTypes: { cred: { revoke: async () => undefined } },
    paths: [
      definePath({
        pattern: 'creds/:id',
        operations: {
          read: async (req) => {
            const key = `wal/${req.params['id'] ?? ''}`;
            await putJson(config.storage, key, { user: req.params['id'] });
            return { kind: 'data', data: { user: req.params['id'] }, secret: { type: 'cred', internal: {}, ttl: 60, maxTtl: 0, renewable: false, writeAheadKey: key } };
          },
        },
      }),
      definePath({
        // A secret created without a lease: its record stays for the backend to roll back.
        pattern: 'unleased/:id',
        operations: {
          read: async (req) => {
            await putJson(config.storage, `wal/${req.params['id'] ?? ''}`, { user: req.params['id'] });
            return { kind: 'data', data: { user: req.params['id'] } };
          },
        },
      }),
      definePath({
        pattern: 'wal/?',
        operations: { list: async () => listResponse(await config.storage.list('wal/')) },
      }),
    ],
  });

describe('write-ahead records of leased secrets', () => {
  let s: TestServer;
  before(async () => {
    s = await startDevServer({ extraEngines: { walengine: engine } });
    assert.equal((await s.req('POST', '/v1/sys/mounts/w', { body: { type: 'walengine' } })).status, 204);
  });
  after(async () => {
    await s.close();
  });

  it('deletes the record once the lease is stored', async () => {
    const r = await s.req('GET', '/v1/w/creds/u1');
    assert.equal(r.status, 200, r.text);
    assert.match(String((r.json as { lease_id: string }).lease_id), /^w\/creds\/u1\//);
    // An empty list is a 404, as Vault answers it.
    assert.equal((await s.req('LIST', '/v1/w/wal')).status, 404);
  });

  it('leaves the record of a secret that got no lease', async () => {
    assert.equal((await s.req('GET', '/v1/w/unleased/u2')).status, 200);
    assert.deepEqual(((await s.req('LIST', '/v1/w/wal')).json as { data: { keys: string[] } }).data.keys, ['u2']);
  });
});
