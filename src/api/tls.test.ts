// Specification of TLS verification: a private CA must be trusted explicitly (caCert), or
// verification switched off (skipVerify); otherwise the request fails with status 0.

import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiError, createApiClient } from './index.js';

// A throwaway self-signed test certificate for IP 127.0.0.1, valid 2000–2199 (no clock dependence).
const cert = `-----BEGIN CERTIFICATE-----
MIIBTjCB9qADAgECAhRFMfxz2Wl+8awt5am3X3gVVI+HCjAKBggqhkjOPQQDAjAU
MRIwEAYDVQQDDAkxMjcuMC4wLjEwIBcNMDAwMTAxMDAwMDAwWhgPMjE5OTAxMDEw
MDAwMDBaMBQxEjAQBgNVBAMMCTEyNy4wLjAuMTBZMBMGByqGSM49AgEGCCqGSM49
AwEHA0IABLpOqlkxK5ZKLrd0/nAj8cwhy3G3v5s73cH3ScHMF9j6jp/+Et0eienk
PP2Bs2/l0kfL9Q41eZmOGbJ3KFiNXQujJDAiMA8GA1UdEQQIMAaHBH8AAAEwDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiB15Fh2+O8wAqgrDRaiYIUr
atdb6YnvRMoxci4L7FYWQgIgE3vQiI7xx0W4n5QzFepJiKdRV8BGixWoBLcR6yl9
MfE=
-----END CERTIFICATE-----
`;
const key = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg6MvIC5fNjbEYSR0L
X0EiDhETctTpOTbkAECeDTsJj5KhRANCAAS6TqpZMSuWSi63dP5wI/HMIctxt7+b
O93B90nBzBfY+o6f/hLdHonp5Dz9gbNv5dJHy/UONXmZjhmydyhYjV0L
-----END PRIVATE KEY-----
`;

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
