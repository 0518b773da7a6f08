// Specification of server start-up: TLS listeners serve the API (LIST included) with the given
// certificate, and an invalid config exits non-zero naming the file, line and field.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createApiClient } from '../api/index.js';
import type { ConfiguredServer } from '../testing/index.js';
import { repoRoot, startConfiguredServer, testTlsCert, testTlsKey } from '../testing/index.js';

const run = promisify(execFile);

describe('a TLS listener', () => {
  let srv: ConfiguredServer;
  let address = '';
  before(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coffer-tls-'));
    await writeFile(join(dir, 'tls.crt'), testTlsCert);
    await writeFile(join(dir, 'tls.key'), testTlsKey);
    srv = await startConfiguredServer(`
storage "inmem" {}
listener "tcp" {
  address       = "127.0.0.1:0"
  tls_cert_file = "${join(dir, 'tls.crt')}"
  tls_key_file  = "${join(dir, 'tls.key')}"
}`);
    address = srv.url.replace('http://', 'https://');
  });
  after(async () => {
    await srv.close();
  });

  it('serves the API over HTTPS with the configured certificate', async () => {
    const client = createApiClient({ address, caCert: testTlsCert });
    try {
      assert.equal(await client.initStatus(), false);
      const init = await client.init({ secret_shares: 1, secret_threshold: 1 });
      await client.unseal(init.keys_base64[0] ?? '');
      client.token = init.root_token;
      await client.enableMount('tlskv', { type: 'kv' });
      await client.write('tlskv/a/b', { v: 1 });
      const listed = await client.request('LIST', 'tlskv/a');
      assert.equal(listed.status, 200);
      assert.deepEqual((listed.body as { data: { keys: string[] } }).data.keys, ['b']);
    } finally {
      client.close();
    }
  });

  it('refuses clients that do not trust the certificate', async () => {
    const client = createApiClient({ address });
    try {
      await assert.rejects(client.initStatus(), (e: unknown) => (e as { status?: number }).status === 0);
    } finally {
      client.close();
    }
  });
});

describe('an invalid config', () => {
  it('exits non-zero with a message naming the file, line and field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coffer-badcfg-'));
    const file = join(dir, 'bad.hcl');
    await writeFile(file, 'storage "inmem" {}\n\nlistener "tcp" {\n  address = "127.0.0.1:0"\n}\n');
    const err = await run(process.execPath, [join(repoRoot, 'bin', 'coffer'), 'server', `-config=${file}`]).then(
      () => undefined,
      (e: unknown) => e as { code: number; stderr: string },
    );
    assert.ok(err, 'the server started with an invalid config');
    assert.notEqual(err.code, 0);
    assert.match(err.stderr, /bad\.hcl:3/);
    assert.match(err.stderr, /tls_cert_file/);
  });

  it('exits non-zero on a syntax error with line and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coffer-badcfg-'));
    const file = join(dir, 'broken.hcl');
    await writeFile(file, 'storage "inmem" {\n  path = \n}\n');
    const err = await run(process.execPath, [join(repoRoot, 'bin', 'coffer'), 'server', `-config=${file}`]).then(
      () => undefined,
      (e: unknown) => e as { code: number; stderr: string },
    );
    assert.ok(err);
    assert.match(err.stderr, /broken\.hcl:3:1/);
  });
});
