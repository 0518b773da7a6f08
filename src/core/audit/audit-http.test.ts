// Specification of auditing over HTTP, with in-memory devices: every request and response is
// recorded in Vault's JSON format with secrets and tokens HMACed (matching sys/audit-hash), and
// the server fails closed while no enabled device can record.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditDevice, AuditDeviceFactory } from '../../sdk/index.js';
import type { TestServer } from '../../testing/index.js';
import { startDevServer } from '../../testing/index.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => v as Json;

interface MemoryDevice extends AuditDevice {
  lines: string[];
  broken: boolean;
}
const devices = new Map<string, MemoryDevice>();
const memoryDevice: AuditDeviceFactory = async (config) => {
  const d: MemoryDevice = {
    lines: [],
    broken: config.options['broken'] === 'true',
    write: async (lines) => {
      if (d.broken) throw new Error('peer went away');
      d.lines.push(...lines);
    },
    reload: async () => undefined,
    close: async () => undefined,
  };
  devices.set(config.path, d);
  return d;
};

describe('audit', () => {
  let s: TestServer;
  const secret = 'sup3r-s3cret-value';
  before(async () => {
    s = await startDevServer({ extraAuditDevices: { memory: memoryDevice } });
  });
  after(async () => {
    await s.close();
  });

  it('enables, lists and disables devices through sys/audit', async () => {
    assert.equal((await s.req('PUT', '/v1/sys/audit/mem1', { body: { type: 'memory', description: 'first', options: { prefix: '' } } })).status, 204);
    const listed = obj(obj((await s.req('GET', '/v1/sys/audit')).json)['data']);
    assert.deepEqual(listed['mem1/'], { type: 'memory', description: 'first', options: { prefix: '' }, local: false, path: 'mem1/' });
    assert.equal((await s.req('PUT', '/v1/sys/audit/mem1', { body: { type: 'memory' } })).status, 400, 'path in use');
    assert.equal((await s.req('PUT', '/v1/sys/audit/nope', { body: { type: 'nonsense' } })).status, 400);
    assert.equal((await s.req('DELETE', '/v1/sys/audit/mem1')).status, 204);
    assert.deepEqual(obj((await s.req('GET', '/v1/sys/audit')).json)['data'], {});
  });

  it('records request and response entries with secrets and tokens HMACed, matching sys/audit-hash', async () => {
    await s.req('PUT', '/v1/sys/audit/mem2', { body: { type: 'memory' } });
    const dev = devices.get('mem2/');
    assert.ok(dev);
    await s.req('POST', '/v1/secret/data/app', { body: { data: { password: secret } } });
    const read = await s.req('GET', '/v1/secret/data/app');
    assert.equal(read.status, 200);
    const text = dev.lines.join('\n');
    assert.ok(!text.includes(secret), 'the secret appears in the audit log');
    assert.ok(!text.includes(s.rootToken), 'the raw token appears in the audit log');

    const hash = (input: string): Promise<string> =>
      s.req('POST', '/v1/sys/audit-hash/mem2', { body: { input } }).then((r) => String(obj(obj(r.json)['data'])['hash']));
    const secretHash = await hash(secret);
    assert.match(secretHash, /^hmac-sha256:[0-9a-f]{64}$/);
    assert.ok(text.includes(secretHash));

    const entries = dev.lines.map((l) => obj(JSON.parse(l)));
    const readRequest = entries.find((e) => e['type'] === 'request' && obj(e['request'])['path'] === 'secret/data/app' && obj(e['request'])['operation'] === 'read');
    const readResponse = entries.find((e) => e['type'] === 'response' && obj(e['request'])['path'] === 'secret/data/app' && obj(e['request'])['operation'] === 'read');
    assert.ok(readRequest && readResponse);
    const req = obj(readRequest['request']);
    assert.equal(req['mount_point'], 'secret/');
    assert.equal(req['mount_type'], 'kv');
    assert.equal(req['client_token'], await hash(s.rootToken));
    assert.equal(obj(readRequest['auth'])['client_token'], await hash(s.rootToken));
    assert.deepEqual(obj(readRequest['auth'])['policies'], ['root']);
    assert.equal(readRequest['error'], '');
    assert.equal(obj(obj(obj(readResponse['response'])['data'])['data'])['password'], secretHash);
    assert.match(String(readRequest['time']), /^\d{4}-\d\d-\d\dT/);
    assert.equal((await s.req('POST', '/v1/sys/audit-hash/mem2', { body: { input: '' } })).status, 400);
    await s.req('DELETE', '/v1/sys/audit/mem2');
  });

  it('hashes the token a login returns, and records denied requests with their error', async () => {
    await s.req('PUT', '/v1/sys/audit/mem3', { body: { type: 'memory' } });
    const dev = devices.get('mem3/');
    assert.ok(dev);
    await s.req('POST', '/v1/sys/auth/userpass', { body: { type: 'userpass' } });
    await s.req('POST', '/v1/auth/userpass/users/ann', { body: { password: 'pw-ann-123' } });
    const login = await s.req('POST', '/v1/auth/userpass/login/ann', { token: '', body: { password: 'pw-ann-123' } });
    const token = String(obj(obj(login.json)['auth'])['client_token']);
    assert.equal((await s.req('GET', '/v1/secret/data/app', { token })).status, 403);
    const text = dev.lines.join('\n');
    assert.ok(!text.includes(token));
    assert.ok(!text.includes('pw-ann-123'));
    const denied = dev.lines.map((l) => obj(JSON.parse(l))).find((e) => e['error'] === 'permission denied');
    assert.ok(denied, 'the denied request is in the log');
    await s.req('DELETE', '/v1/sys/audit/mem3');
  });

  it('writes raw values for a log_raw device', async () => {
    await s.req('PUT', '/v1/sys/audit/raw', { body: { type: 'memory', options: { log_raw: 'true' } } });
    await s.req('GET', '/v1/secret/data/app');
    assert.ok(devices.get('raw/')?.lines.join('\n').includes(secret));
    await s.req('DELETE', '/v1/sys/audit/raw');
  });

  it('fails closed while the only device cannot record, and recovers when a healthy one is added', async () => {
    await s.req('PUT', '/v1/sys/audit/sick', { body: { type: 'memory', options: { broken: 'true' } } });
    const refused = await s.req('GET', '/v1/secret/data/app');
    assert.equal(refused.status, 500);
    assert.ok(!refused.text.includes(secret), 'no secret is returned');
    assert.equal((await s.req('PUT', '/v1/sys/audit/healthy', { body: { type: 'memory' } })).status, 500, 'even enabling needs an audited request');
    // Heal the device: the next request is recorded again.
    const sick = devices.get('sick/');
    assert.ok(sick);
    sick.broken = false;
    assert.equal((await s.req('PUT', '/v1/sys/audit/healthy', { body: { type: 'memory' } })).status, 204);
    sick.broken = true;
    const ok = await s.req('GET', '/v1/secret/data/app');
    assert.equal(ok.status, 200, 'one healthy device is enough');
    assert.ok(devices.get('healthy/')?.lines.some((l) => l.includes('"secret/data/app"')));
    sick.broken = false;
    await s.req('DELETE', '/v1/sys/audit/sick');
    await s.req('DELETE', '/v1/sys/audit/healthy');
  });

  it('keeps its devices across a seal and unseal', async () => {
    await s.req('PUT', '/v1/sys/audit/persist', { body: { type: 'memory' } });
    await s.req('PUT', '/v1/sys/seal');
    await s.req('PUT', '/v1/sys/unseal', { token: '', body: { key: s.unsealKey } });
    assert.ok('persist/' in obj(obj((await s.req('GET', '/v1/sys/audit')).json)['data']));
    const hashBefore = devices.get('persist/');
    assert.ok(hashBefore);
    await s.req('DELETE', '/v1/sys/audit/persist');
  });
});
