import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../testing/index.js';
import { startDevServer } from '../testing/index.js';
import { BUILTIN_AUDIT_DEVICES } from './index.js';

describe('built-in audit devices behind the audit broker', () => {
  let s: TestServer;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coffer-audit-http-'));
    s = await startDevServer({ extraAuditDevices: { ...BUILTIN_AUDIT_DEVICES } });
    const put = await s.req('POST', '/v1/kv/app', { body: { password: 'hunter2' } });
    assert.equal(put.status, 204, put.text);
  });
  after(async () => {
    await s.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records a KV read in the file device as a request line and a response line, secrets HMACed', async () => {
    const file = join(dir, 'audit.log');
    const en = await s.req('POST', '/v1/sys/audit/file', { body: { type: 'file', options: { file_path: file } } });
    assert.equal(en.status, 204, en.text);
    const read = await s.req('GET', '/v1/kv/app');
    assert.equal(read.status, 200, read.text);
    const dis = await s.req('DELETE', '/v1/sys/audit/file');
    assert.equal(dis.status, 204, dis.text);

    const text = await readFile(file, 'utf8');
    assert.ok(!text.includes('hunter2'), 'the secret value must not appear in the audit log');
    assert.ok(!text.includes(s.rootToken), 'the raw token must not appear in the audit log');
    const entries = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; request?: { path?: string } });
    const kv = entries.filter((e) => e.request?.path === 'kv/app');
    assert.deepEqual(
      kv.map((e) => e.type),
      ['request', 'response'],
    );
  });

  it('answers 400 when enabling a file device whose file cannot be opened', async () => {
    const r = await s.req('POST', '/v1/sys/audit/badfile', { body: { type: 'file', options: { file_path: dir } } });
    assert.equal(r.status, 400, r.text);
    assert.match(r.text, /cannot open audit file/);
  });

  it('fails requests closed while the only device is a socket nobody listens on, and recovers when the peer appears', async () => {
    const server = net.createServer((c) => c.resume());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));

    const en = await s.req('POST', '/v1/sys/audit/sock', { body: { type: 'socket', options: { address: `127.0.0.1:${port}`, write_timeout: '1s' } } });
    assert.equal(en.status, 204, en.text);
    const down = await s.req('GET', '/v1/kv/app');
    assert.equal(down.status, 500, down.text);

    const conns = new Set<net.Socket>();
    const back = net.createServer((c) => {
      conns.add(c);
      c.resume();
    });
    await new Promise<void>((r) => back.listen(port, '127.0.0.1', r));
    const up = await s.req('GET', '/v1/kv/app');
    assert.equal(up.status, 200, up.text);

    const dis = await s.req('DELETE', '/v1/sys/audit/sock');
    assert.equal(dis.status, 204, dis.text);
    for (const c of conns) c.destroy();
    await new Promise<void>((r) => back.close(() => r()));
  });
});
