// Acceptance (audit): Python hvac enables a file audit device on a real server process and finds
// the HMAC of a known secret in the file, never the secret or the token; then a socket device
// whose peer goes away makes requests fail while it is the only device, and they succeed again
// once a healthy second device is enabled.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ServerProcess } from '../testing/index.js';
import { rawRequest, repoRoot, startServerProcess } from '../testing/index.js';

const run = promisify(execFile);
const ROOT = 'hvs.audit-acceptance-root-7d2e';

describe('audit devices against a server process', () => {
  let server: ServerProcess;
  const dir = mkdtempSync(join(tmpdir(), 'coffer-audit-'));
  const req = (method: string, path: string, body?: unknown) => rawRequest(server.url, method, path, { token: ROOT, ...(body !== undefined ? { body } : {}) });
  before(async () => {
    server = await startServerProcess(['-dev', `-dev-root-token-id=${ROOT}`, '-dev-listen-address=127.0.0.1:0', '-log-level=warn']);
  });
  after(async () => {
    await server.stop();
  });

  it('hvac: a file device records HMACs, never the secret or the token', async () => {
    const script = join(repoRoot, 'test-clients', 'python', 'hvac_audit.py');
    const { stdout } = await run('/usr/bin/python3', [script, server.url, ROOT, join(dir, 'audit.log')], { timeout: 60_000 }).catch((e: { stderr?: string }) => {
      throw new Error(`hvac script failed: ${e.stderr ?? ''}`);
    });
    assert.equal(stdout.trim(), 'ok');
  });

  it('fails requests while the only device is a socket whose peer is gone, until a healthy device is added', async () => {
    const received: string[] = [];
    const peers = new Set<Socket>();
    let peer: Server = createServer((sock) => {
      peers.add(sock);
      sock.on('data', (b) => received.push(b.toString()));
    });
    await new Promise<void>((r) => peer.listen(0, '127.0.0.1', r));
    const port = (peer.address() as AddressInfo).port;
    assert.equal((await req('PUT', '/v1/sys/audit/sock', { type: 'socket', options: { address: `127.0.0.1:${port}`, socket_type: 'tcp', write_timeout: '1s' } })).status, 204);
    assert.equal((await req('GET', '/v1/sys/mounts')).status, 200);
    // Written to the socket is not yet read by the peer: wait (bounded) for it to arrive.
    for (let i = 0; i < 200 && !received.join('').includes('"type":"request"'); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(received.join('').includes('"type":"request"'));

    // The peer goes away.
    for (const s of peers) s.destroy();
    await new Promise<void>((r) => peer.close(() => r()));
    // The device may learn of the close only when a write fails (one line can still reach the
    // kernel, as with Vault's socket device): within a few requests they must fail.
    let status = 0;
    for (let i = 0; i < 20 && status !== 500; i++) status = (await req('GET', '/v1/sys/mounts')).status;
    assert.equal(status, 500);

    // A healthy second device can only be enabled by... a request that must itself be audited, so
    // bring the peer back first, enable a file device, then lose the peer again.
    peer = createServer((sock) => {
      peers.add(sock);
      sock.on('data', (b) => received.push(b.toString()));
    });
    await new Promise<void>((r) => peer.listen(port, '127.0.0.1', r));
    assert.equal((await req('PUT', '/v1/sys/audit/backup', { type: 'file', options: { file_path: join(dir, 'backup.log') } })).status, 204);
    for (const s of peers) s.destroy();
    await new Promise<void>((r) => peer.close(() => r()));
    assert.equal((await req('GET', '/v1/sys/mounts')).status, 200, 'one healthy device is enough');
    assert.equal((await req('DELETE', '/v1/sys/audit/sock')).status, 204);
    assert.equal((await req('DELETE', '/v1/sys/audit/backup')).status, 204);
  });
});
