// Acceptance (KV v2): Python hvac and npm node-vault against a real dev server process, whose
// secret/ mount is KV v2 as in Vault's dev mode.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import nodeVault from 'node-vault';
import type { ServerProcess } from '../../testing/index.js';
import { repoRoot, startServerProcess } from '../../testing/index.js';

const run = promisify(execFile);
type Json = Record<string, unknown>;

describe('KV v2 with real clients against a dev server process', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess(['-dev', '-dev-root-token-id=root', '-dev-listen-address=127.0.0.1:0', '-log-level=warn']);
  });
  after(async () => {
    await server.stop();
  });

  it('hvac: config, cas writes, versions, list, metadata, delete/undelete/destroy', async () => {
    const script = join(repoRoot, 'test-clients', 'python', 'hvac_kv2.py');
    const { stdout } = await run('/usr/bin/python3', [script, server.url, 'root'], { timeout: 60_000 });
    assert.equal(stdout.trim(), 'ok');
  });

  it('node-vault: writes and reads through data/, lists metadata/, and sees 404 for a deleted version', async () => {
    const v = nodeVault({ apiVersion: 'v1', endpoint: server.url, token: 'root' });
    const w = (await v.write('secret/data/nv/app', { data: { user: 'u1' } })) as { data: Json };
    assert.equal(w.data['version'], 1);
    const r = (await v.read('secret/data/nv/app')) as { data: { data: Json; metadata: Json } };
    assert.deepEqual(r.data.data, { user: 'u1' });
    assert.equal(r.data.metadata['version'], 1);
    assert.deepEqual(((await v.list('secret/metadata/nv')) as { data: { keys: string[] } }).data.keys, ['app']);
    await v.delete('secret/data/nv/app');
    await assert.rejects(v.read('secret/data/nv/app'), (e: unknown) => (e as { response?: { statusCode?: number } }).response?.statusCode === 404);
  });
});
