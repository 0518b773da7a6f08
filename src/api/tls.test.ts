// Specification of TLS verification: a private CA must be trusted explicitly (caCert), or
// verification switched off (skipVerify); otherwise the request fails with status 0.

import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiError, createApiClient } from './index.js';

import { testTlsCert as cert, testTlsKey as key } from '../testing/index.js';

let server: https.Server;
let address: string;

before(async () => {
  server = https.createServer({ cert, key }, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ initialized: true }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  address = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('TLS', () => {
  it('rejects an untrusted certificate with ApiError status 0', async () => {
    const c = createApiClient({ address });
    await assert.rejects(c.initStatus(), (e: unknown) => e instanceof ApiError && e.status === 0 && /self-signed|self signed/.test(e.message));
    c.close();
  });

  it('trusts the server when its CA is given as caCert', async () => {
    const c = createApiClient({ address, caCert: cert });
    assert.equal(await c.initStatus(), true);
    c.close();
  });

  it('skips verification with skipVerify', async () => {
    const c = createApiClient({ address, skipVerify: true });
    assert.equal(await c.initStatus(), true);
    c.close();
  });
});
