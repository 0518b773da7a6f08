// Acceptance: real clients (Python hvac, npm node-vault) against a real `coffer server` process
// on SQLite storage — init, unseal, KV v1, seal, restart on the same file, unseal again; no
// plaintext on disk; no acknowledged write lost to SIGKILL.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import nodeVault from 'node-vault';
import type { ServerProcess } from '../testing/index.js';
import { rawRequest, repoRoot, sqliteConfigDir, startServerProcess } from '../testing/index.js';

const run = promisify(execFile);

async function allFileBytes(dir: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const name of await readdir(dir)) if (name.startsWith('coffer.db')) parts.push(await readFile(join(dir, name)));
  return Buffer.concat(parts);
}

describe('real clients against a server process on SQLite', () => {
  const secret = `s3cr3t-${randomBytes(12).toString('hex')}`;
  let cfg: Awaited<ReturnType<typeof sqliteConfigDir>>;
  let server: ServerProcess | undefined;
  let keys: string[] = [];
  let root = '';

  before(async () => {
    cfg = await sqliteConfigDir();
    server = await startServerProcess([`-config=${cfg.configPath}`]);
  });
  after(async () => {
    await server?.stop();
  });

  it('hvac: init 5/3, unseal with 3 keys, KV v1 write/read/LIST/?list=true/delete, seal → 503', async () => {
    const script = join(repoRoot, 'test-clients', 'python', 'hvac_foundation.py');
    const { stdout } = await run('/usr/bin/python3', [script, server!.url, secret], { timeout: 60_000 });
    const out = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { keys: string[]; root_token: string };
    keys = out.keys;
    root = out.root_token;
    assert.equal(keys.length, 5);
    assert.match(root, /^hvs\./);
  });

  it('never writes a known secret value to the SQLite files', async () => {
    await server!.stop();
    const bytes = await allFileBytes(cfg.dir);
    assert.ok(bytes.length > 0);
    assert.equal(bytes.indexOf(secret), -1, 'secret found in plaintext on disk');
    assert.equal(bytes.indexOf(Buffer.from(secret).toString('base64')), -1, 'secret found base64-encoded on disk');
    assert.equal(bytes.indexOf(root), -1, 'root token found on disk');
  });

  it('node-vault: after a restart on the same file, unseals and finds data and mounts intact', async () => {
    server = await startServerProcess([`-config=${cfg.configPath}`]);
    const vault = nodeVault({ apiVersion: 'v1', endpoint: server.url });
    const status = (await vault.status()) as { sealed: boolean; t: number; n: number };
    assert.equal(status.sealed, true);
    assert.equal(status.t, 3);
    for (const key of [keys[1], keys[2]]) {
      const r = (await vault.unseal({ key })) as { sealed: boolean };
      assert.equal(r.sealed, true);
    }
    const done = (await vault.unseal({ key: keys[0] })) as { sealed: boolean };
    assert.equal(done.sealed, false);

    vault.token = root;
    const mounts = (await vault.mounts()) as Record<string, unknown>;
    assert.ok('kv1/' in mounts, 'kv1/ mount survived the restart');
    const persisted = (await vault.read('kv1/persist')) as { data: Record<string, unknown> };
    assert.deepEqual(persisted.data, { value: secret });
    const db = (await vault.read('kv1/app/db')) as { data: Record<string, unknown> };
    assert.equal(db.data['password'], secret);
  });

  it('node-vault: KV v1 write, read, list with LIST and with ?list=1, delete', async () => {
    const vault = nodeVault({ apiVersion: 'v1', endpoint: server!.url, token: root });
    await vault.write('kv1/nv/one', { n: 1 });
    await vault.write('kv1/nv/two', { n: 2 });
    assert.deepEqual(((await vault.read('kv1/nv/one')) as { data: unknown }).data, { n: 1 });
    const listed = (await vault.list('kv1/nv')) as { data: { keys: string[] } };
    assert.deepEqual(listed.data.keys, ['one', 'two']);
    const plain = nodeVault({ apiVersion: 'v1', endpoint: server!.url, token: root, noCustomHTTPVerbs: true });
    assert.deepEqual(((await plain.list('kv1/nv')) as { data: { keys: string[] } }).data.keys, ['one', 'two']);
    await vault.delete('kv1/nv/one');
    await assert.rejects(vault.read('kv1/nv/one'), (e: unknown) => (e as { response?: { statusCode?: number } }).response?.statusCode === 404);
    await vault.seal();
    await assert.rejects(vault.read('kv1/nv/two'), (e: unknown) => (e as { response?: { statusCode?: number } }).response?.statusCode === 503);
  });
});

describe('durability: SIGKILL during a burst of concurrent writes', () => {
  it('keeps every acknowledged write', async () => {
    const cfg = await sqliteConfigDir();
    let server = await startServerProcess([`-config=${cfg.configPath}`]);
    const init = (await rawRequest(server.url, 'PUT', '/v1/sys/init', { body: { secret_shares: 1, secret_threshold: 1 } })).json as {
      keys_base64: string[];
      root_token: string;
    };
    const key = init.keys_base64[0] ?? '';
    const token = init.root_token;
    await rawRequest(server.url, 'PUT', '/v1/sys/unseal', { body: { key } });
    assert.equal((await rawRequest(server.url, 'POST', '/v1/sys/mounts/burst', { token, body: { type: 'kv' } })).status, 204);

    const acked: string[] = [];
    const target = 400;
    let killed = false;
    const writers = Array.from({ length: 32 }, async (_, w) => {
      for (let i = 0; !killed; i++) {
        const k = `w${w}/k${i}`;
        try {
          const r = await rawRequest(server.url, 'PUT', `/v1/burst/${k}`, { token, body: { v: k } });
          if (r.status === 204) acked.push(k);
        } catch {
          return; // the server is gone
        }
        if (acked.length >= target && !killed) {
          killed = true;
          await server.kill();
        }
      }
    });
    await Promise.all(writers);
    assert.ok(acked.length >= target);

    server = await startServerProcess([`-config=${cfg.configPath}`]);
    try {
      await rawRequest(server.url, 'PUT', '/v1/sys/unseal', { body: { key } });
      const missing: string[] = [];
      for (const k of acked) {
        const r = await rawRequest(server.url, 'GET', `/v1/burst/${k}`, { token });
        if (r.status !== 200 || (r.json as { data: { v: string } }).data.v !== k) missing.push(k);
      }
      assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged writes lost`);
    } finally {
      await server.stop();
    }
  });
});
