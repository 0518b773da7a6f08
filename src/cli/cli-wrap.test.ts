// Specification of response wrapping in the CLI: -wrap-ttl / VAULT_WRAP_TTL, how a wrapped
// response is printed, and `coffer unwrap`.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { envelope, startFakeVault } from '../api/testing/index.js';
import type { FakeVault } from '../api/testing/index.js';
import { goTimeString } from './output/secret.js';
import { runCoffer, tempHome } from './testing/cli-harness.js';

let fake: FakeVault;
let env: Record<string, string>;

before(async () => {
  fake = await startFakeVault();
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  env = { VAULT_ADDR: fake.url, VAULT_TOKEN: 'tok', HOME: tempHome() };
});

const wrapInfo = {
  token: 'hvs.WRAP',
  accessor: 'wacc',
  ttl: 300,
  creation_time: '2026-05-01T10:00:00.123456700Z',
  creation_path: 'secret/app',
};
const wrapped = envelope(null, { request_id: '', wrap_info: wrapInfo });

const wrapTable = [
  'Key                              Value',
  '---                              -----',
  'wrapping_token:                  hvs.WRAP',
  'wrapping_accessor:               wacc',
  'wrapping_token_ttl:              5m',
  'wrapping_token_creation_time:    2026-05-01 10:00:00.1234567 +0000 UTC',
  'wrapping_token_creation_path:    secret/app',
  '',
].join('\n');

describe('-wrap-ttl', () => {
  it('sends X-Vault-Wrap-TTL as given and prints the wrapping token table', async () => {
    fake.on('GET', 'secret/app', { body: wrapped });
    const r = await runCoffer(['read', '-wrap-ttl=5m', 'secret/app'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.headers['x-vault-wrap-ttl'], '5m');
    assert.equal(r.stdout, wrapTable);
  });

  it('takes the TTL from VAULT_WRAP_TTL, the flag winning over it', async () => {
    fake.on('GET', 'secret/app', { body: wrapped });
    await runCoffer(['read', 'secret/app'], { ...env, VAULT_WRAP_TTL: '90' });
    assert.equal(fake.requests[0]?.headers['x-vault-wrap-ttl'], '90');
    await runCoffer(['read', '-wrap-ttl', '1h', 'secret/app'], { ...env, VAULT_WRAP_TTL: '90' });
    assert.equal(fake.requests[1]?.headers['x-vault-wrap-ttl'], '1h');
  });

  it('sends no wrap header without the flag or the variable', async () => {
    fake.on('GET', 'secret/app', { body: envelope({ a: 'b' }) });
    await runCoffer(['read', 'secret/app'], env);
    assert.equal(fake.requests[0]?.headers['x-vault-wrap-ttl'], undefined);
  });

  it('rejects an unparsable duration before sending anything (exit 1)', async () => {
    const r = await runCoffer(['read', '-wrap-ttl=soon', 'secret/app'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /invalid value "soon" for flag -wrap-ttl/);
    assert.equal(fake.requests.length, 0);
  });

  it('prints the raw wrapped response with -format=json, and wrap fields with -field', async () => {
    fake.on('PUT', 'auth/token/create', { body: wrapped });
    const j = await runCoffer(['token', 'create', '-wrap-ttl=5m', '-format=json'], env);
    assert.equal(j.code, 0, j.stderr);
    assert.deepEqual(JSON.parse(j.stdout), wrapped);
    const f = await runCoffer(['write', '-wrap-ttl=5m', '-field=wrapping_token', 'auth/token/create', 'a=b'], env);
    assert.equal(f.code, 0, f.stderr);
    assert.equal(f.stdout, 'hvs.WRAP');
  });

  it('adds wrapped_accessor when the wrapped response is a token', async () => {
    fake.on('PUT', 'auth/token/create', { body: envelope(null, { wrap_info: { ...wrapInfo, wrapped_accessor: 'inner' } }) });
    const r = await runCoffer(['token', 'create', '-wrap-ttl=5m'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrapped_accessor:\s+inner$/m);
  });

  it('wraps list responses too, instead of reporting no entries', async () => {
    fake.on('LIST', 'secret/', { body: wrapped });
    const r = await runCoffer(['list', '-wrap-ttl=5m', 'secret'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, wrapTable);
  });

  it('does not wrap the KV preflight, only the kv get itself', async () => {
    fake.on('GET', 'sys/internal/ui/mounts/secret/app', { body: envelope({ type: 'kv', path: 'secret/', options: { version: '2' } }) });
    fake.on('GET', 'secret/data/app', { body: wrapped });
    const r = await runCoffer(['kv', 'get', '-wrap-ttl=5m', 'secret/app'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.requests.map((q) => q.headers['x-vault-wrap-ttl']), [undefined, '5m']);
    assert.equal(r.stdout, wrapTable);
  });

  it('offers -wrap-ttl on every command that talks to the server', async () => {
    const h = await runCoffer(['kv', 'metadata', 'get', '-h'], env);
    assert.match(h.stdout, /-wrap-ttl=<string>/);
  });
});

describe('goTimeString', () => {
  it('prints RFC 3339 times as Go time.Time.String() does', () => {
    assert.equal(goTimeString('2026-01-01T00:00:00Z'), '2026-01-01 00:00:00 +0000 UTC');
    assert.equal(goTimeString('2026-01-01T00:00:00.500Z'), '2026-01-01 00:00:00.5 +0000 UTC');
    assert.equal(goTimeString('2026-01-01T02:00:00+02:00'), '2026-01-01 02:00:00 +0200 +0200');
    assert.equal(goTimeString('not a time'), 'not a time');
  });
});

describe('coffer unwrap', () => {
  const inner = envelope({ password: 's3cret' });

  it('PUTs sys/wrapping/unwrap with {"token"} and prints the secret like read', async () => {
    fake.on('PUT', 'sys/wrapping/unwrap', { body: inner });
    const r = await runCoffer(['unwrap', 'hvs.WRAP'], env);
    assert.equal(r.code, 0, r.stderr);
    const req = fake.requests[0]!;
    assert.equal(req.method, 'PUT');
    assert.deepEqual(req.body, { token: 'hvs.WRAP' });
    assert.equal(req.headers['x-vault-token'], 'tok');
    assert.equal(r.stdout, 'Key         Value\n---         -----\npassword    s3cret\n');
  });

  it('uses the client token as the wrapping token, with no body, when TOKEN is omitted', async () => {
    fake.on('PUT', 'sys/wrapping/unwrap', { body: inner });
    const r = await runCoffer(['unwrap'], { ...env, VAULT_TOKEN: 'hvs.WRAP' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.requests[0]?.headers['x-vault-token'], 'hvs.WRAP');
    assert.equal(fake.requests[0]?.rawBody, '');
  });

  it('supports -field and -format=json', async () => {
    fake.on('PUT', 'sys/wrapping/unwrap', { body: inner });
    const f = await runCoffer(['unwrap', '-field=password', 'hvs.WRAP'], env);
    assert.equal(f.stdout, 's3cret');
    const j = await runCoffer(['unwrap', '-format=json', 'hvs.WRAP'], env);
    assert.deepEqual(JSON.parse(j.stdout), inner);
  });

  it('prints an unwrapped list as a list', async () => {
    fake.on('PUT', 'sys/wrapping/unwrap', { body: envelope({ keys: ['a', 'b/'] }) });
    const r = await runCoffer(['unwrap', 'hvs.WRAP'], env);
    assert.equal(r.stdout, 'Keys\n----\na\nb/\n');
  });

  it('says so when the wrapped response was empty', async () => {
    fake.on('PUT', 'sys/wrapping/unwrap', { status: 204 });
    const r = await runCoffer(['unwrap', 'hvs.WRAP'], env);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'Successfully unwrapped. There was no data in the wrapped secret.\n');
  });

  it('reports a rejected token with exit 2', async () => {
    fake.on('PUT', 'sys/wrapping/unwrap', { status: 400, body: { errors: ['wrapping token is not valid or does not exist'] } });
    const r = await runCoffer(['unwrap', 'hvs.BAD'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Error unwrapping: Error making API request\.[\s\S]*\* wrapping token is not valid or does not exist/);
  });

  it('takes at most one argument (exit 1)', async () => {
    const r = await runCoffer(['unwrap', 'a', 'b'], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Too many arguments (expected 1, got 2)\n');
  });
});

describe('help', () => {
  it('lists unwrap among the other commands', async () => {
    const r = await runCoffer(['-h'], env);
    assert.match(r.stdout, /Other commands:[\s\S]*\n {4}unwrap {4,}Unwrap a wrapped secret\n/);
  });
});
