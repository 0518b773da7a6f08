// Specification of loading config from files and directories and merging several configs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CofferError } from '../../shared/index.js';
import { loadServerConfig } from './index.js';

let root = '';

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'coffer-config-test-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(rel: string, text: string): Promise<string> {
  const path = join(root, rel);
  await writeFile(path, text);
  return path;
}

void describe('loadServerConfig', () => {
  void it('loads a single file', async () => {
    const path = await write('single.hcl', 'storage "inmem" {}\nui = true\n');
    const c = await loadServerConfig([path]);
    assert.equal(c.storage?.type, 'inmem');
    assert.equal(c.storage?.file, path);
    assert.equal(c.ui, true);
  });

  void it('merges files in order: later scalars and storage win, listeners and seals accumulate', async () => {
    const a = await write(
      'a.hcl',
      `storage "file" {
  path = "/data/a"
}
listener "tcp" {
  address = "127.0.0.1:8200"
  tls_disable = true
}
ui = true
api_addr = "http://a:8200"
default_lease_ttl = "1h"
telemetry {
  disable_hostname = true
  statsd_address = "a:8125"
}
seal "transit" {}
entropy "seal" {}
`,
    );
    const b = await write(
      'b.json',
      JSON.stringify({
        storage: { sqlite: { path: '/data/b.db' } },
        listener: { tcp: { address: '127.0.0.1:8300', tls_disable: true } },
        api_addr: 'http://b:8200',
        telemetry: { statsd_address: 'b:8125' },
        seal: { awskms: { region: 'x' } },
      }),
    );
    const c = await loadServerConfig([a, b]);
    assert.deepEqual(c.storage, { type: 'sqlite', options: { path: '/data/b.db' }, file: b, line: 1 });
    assert.deepEqual(c.listeners.map((l) => [l.address, l.file]), [['127.0.0.1:8200', a], ['127.0.0.1:8300', b]]);
    assert.equal(c.apiAddr, 'http://b:8200');
    assert.equal(c.ui, true, 'a setting the later file does not mention is kept');
    assert.equal(c.defaultLeaseTtl, 3600);
    assert.deepEqual(c.telemetry, { disable_hostname: true, statsd_address: 'b:8125' });
    assert.deepEqual(c.seals.map((s) => s.type), ['transit', 'awskms']);
    assert.deepEqual(c.warnings, [`${a}:16: unknown or unsupported setting "entropy" ignored`]);
  });

  void it('lets a later file turn a boolean setting off', async () => {
    const on = await write('on.hcl', 'ui = true\ndisable_mlock = true');
    const off = await write('off.hcl', 'ui = false');
    const c = await loadServerConfig([on, off]);
    assert.equal(c.ui, false);
    assert.equal(c.disableMlock, true);
  });

  void it('reads a directory of .hcl and .json files in name order, skipping other and hidden files', async () => {
    const dir = join(root, 'conf.d');
    await mkdir(dir);
    await mkdir(join(dir, 'sub.hcl'));
    await writeFile(join(dir, '20-storage.hcl'), 'storage "file" { path = "/late" }');
    await writeFile(join(dir, '10-storage.json'), '{"storage": {"inmem": {}}, "listener": {"tcp": {"tls_disable": true}}}');
    await writeFile(join(dir, '30-listener.hcl'), 'listener "tcp" {\n  address = "0.0.0.0:9000"\n  tls_disable = true\n}');
    await writeFile(join(dir, 'README.md'), 'not config = [');
    await writeFile(join(dir, '.99-hidden.hcl'), 'storage "raft" {}');
    const c = await loadServerConfig([dir]);
    assert.equal(c.storage?.type, 'file');
    assert.equal(c.storage?.options['path'], '/late');
    assert.deepEqual(c.listeners.map((l) => l.address), ['127.0.0.1:8200', '0.0.0.0:9000']);
  });

  void it('reads an empty directory as an empty config', async () => {
    const dir = join(root, 'empty');
    await mkdir(dir);
    const c = await loadServerConfig([dir]);
    assert.deepEqual(c.listeners, []);
    assert.equal(c.storage, undefined);
  });

  void it('allows one storage stanza per file even when several files each have one', async () => {
    const x = await write('x.hcl', 'storage "inmem" {}');
    const y = await write('y.hcl', 'storage "sqlite" { path = "/y.db" }');
    assert.equal((await loadServerConfig([x, y])).storage?.type, 'sqlite');
  });

  void it('rejects a missing path with invalid_request naming it', async () => {
    const missing = join(root, 'nope.hcl');
    await assert.rejects(loadServerConfig([missing]), (e: unknown) => {
      assert.ok(e instanceof CofferError);
      assert.equal(e.code, 'invalid_request');
      assert.equal(e.message, `${missing}: cannot read config: no such file or directory`);
      return true;
    });
  });

  void it('rejects an invalid file naming the file path and line', async () => {
    const good = await write('good.hcl', 'ui = true');
    const bad = await write('bad.hcl', '\nlistener "unix" {}');
    await assert.rejects(loadServerConfig([good, bad]), (e: unknown) => {
      assert.ok(e instanceof CofferError);
      assert.equal(e.message, `${bad}:2: listener "unix": unsupported listener type "unix"; only "tcp" is supported`);
      return true;
    });
  });
});
