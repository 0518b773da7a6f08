// Specification of the jwt auth method, driven directly (no core) against real HTTPS identity
// providers on 127.0.0.1 serving JWKS and OIDC discovery documents with keys made per test.

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { JWK, CryptoKey } from 'jose';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createMemoryStorage } from '../../sdk/index.js';
import type { BackendRequest, BackendResponse, LoginGrant, LogicalBackend, MemoryStorage, Operation } from '../../sdk/index.js';
import type { ManualClock } from '../../shared/index.js';
import { CofferError, createManualClock, silentLogger } from '../../shared/index.js';
import { testTlsCert, testTlsKey } from '../../testing/index.js';
import { createJwtBackend } from './index.js';

interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function makeKey(kid: string, alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, jwk };
}

/** A tiny identity provider: /keys (JWKS) and /.well-known/openid-configuration. */
interface Idp {
  url: string;
  /** The JWKS it serves from now on. */
  keys: SigningKey[];
  /** Overrides the issuer its discovery document names. */
  issuerOverride: string | undefined;
  /** Answer 500 to everything. */
  failing: boolean;
  jwksFetches: number;
  close(): Promise<void>;
}

async function startIdp(): Promise<Idp> {
  const idp: Idp = { url: '', keys: [], issuerOverride: undefined, failing: false, jwksFetches: 0, close: () => Promise.resolve() };
  const server: Server = createServer({ cert: testTlsCert, key: testTlsKey }, (req, res) => {
    res.setHeader('content-type', 'application/json');
    if (idp.failing) {
      if (req.url === '/keys') idp.jwksFetches++;
      res.statusCode = 500;
      res.end('{}');
    } else if (req.url === '/keys') {
      idp.jwksFetches++;
      res.end(JSON.stringify({ keys: idp.keys.map((k) => k.jwk) }));
    } else if (req.url === '/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer: idp.issuerOverride ?? idp.url, jwks_uri: `${idp.url}/keys` }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  idp.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  idp.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return idp;
}

const START = Date.UTC(2026, 0, 1, 12);

describe('jwt auth method', () => {
  let idp: Idp;
  let other: Idp;
  let k1: SigningKey;
  let k2: SigningKey;
  let ec: SigningKey;
  let backend: LogicalBackend;
  let storage: MemoryStorage;
  let clock: ManualClock;

  before(async () => {
    idp = await startIdp();
    other = await startIdp();
    k1 = await makeKey('k1');
    k2 = await makeKey('k2');
    ec = await makeKey('e1', 'ES256');
  });
  after(async () => {
    await idp.close();
    await other.close();
  });

  const call = async (op: Operation, path: string, data?: Record<string, unknown>, remoteAddress = '127.0.0.1'): Promise<BackendResponse> => {
    const req: BackendRequest = { operation: op, path, data, storage, mountPath: 'auth/jwt/', caller: undefined, remoteAddress, requestId: 't' };
    if (op === 'update' && (await backend.existenceCheck(req)) === false) req.operation = 'create';
    return backend.handleRequest(req);
  };
  const data = async (op: Operation, path: string, body?: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const res = await call(op, path, body);
    assert.ok(res.kind === 'data' && res.data !== null, `expected data from ${path}: ${JSON.stringify(res)}`);
    return res.data;
  };
  const rejects400 = (p: Promise<unknown>, message?: RegExp) =>
    assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof CofferError, String(e));
      assert.equal(e.code, 'invalid_request', e.message);
      if (message) assert.match(e.message, message);
      return true;
    });
  const nowSec = (): number => Math.floor(clock.now() / 1000);
  const sign = (claims: Record<string, unknown>, key: SigningKey = k1, header: { kid?: string | undefined } = { kid: key.kid }): Promise<string> =>
    new SignJWT({ iss: idp.url, sub: 'user-1', aud: 'vault', iat: nowSec(), exp: nowSec() + 300, ...claims })
      .setProtectedHeader({ alg: key.alg, ...(header.kid !== undefined ? { kid: header.kid } : {}) })
      .sign(key.privateKey);
  const login = async (body: Record<string, unknown>, remoteAddress?: string): Promise<LoginGrant> => {
    const res = await call('update', 'login', body, remoteAddress);
    assert.ok(res.kind === 'data' && res.data === null && res.grant !== undefined, JSON.stringify(res));
    return res.grant;
  };
  const jwksConfig = () => call('update', 'config', { jwks_url: `${idp.url}/keys`, jwks_ca_pem: testTlsCert, bound_issuer: idp.url });
  const role = (name: string, extra: Record<string, unknown> = {}) =>
    call('update', `role/${name}`, { role_type: 'jwt', user_claim: 'sub', bound_audiences: 'vault', token_policies: 'app', ...extra });

  beforeEach(async () => {
    storage = createMemoryStorage();
    clock = createManualClock(START);
    idp.keys = [k1];
    idp.issuerOverride = undefined;
    idp.failing = false;
    idp.jwksFetches = 0;
    other.keys = [k2];
    backend = await createJwtBackend({
      storage,
      mountPath: 'auth/jwt/',
      options: {},
      logger: silentLogger,
      clock,
      system: { defaultLeaseTtl: () => 2764800, maxLeaseTtl: () => 2764800, generatePassword: () => Promise.reject(new Error('unused')) },
    });
  });

  describe('config', () => {
    it('declares login and the oidc paths unauthenticated', () => {
      assert.ok(backend.specialPaths.unauthenticated.includes('login'));
      assert.ok(backend.specialPaths.unauthenticated.includes('oidc/callback'));
    });

    it('requires exactly one key source', async () => {
      await rejects400(call('update', 'config', { bound_issuer: 'x' }), /exactly one of/);
      const pem = await exportSPKI(k1.publicKey);
      await rejects400(call('update', 'config', { jwks_url: `${idp.url}/keys`, jwt_validation_pubkeys: [pem] }), /exactly one of/);
      await rejects400(call('update', 'config', { oidc_discovery_url: idp.url, jwks_url: `${idp.url}/keys` }), /exactly one of/);
    });

    it('rejects unparseable PEM keys and CA bundles', async () => {
      await rejects400(call('update', 'config', { jwt_validation_pubkeys: ['-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----'] }), /error parsing public key/);
      await rejects400(call('update', 'config', { jwks_url: `${idp.url}/keys`, jwks_ca_pem: 'not a pem' }), /jwks_ca_pem/);
    });

    it('rejects unknown signing algorithms and an id_token response type without form_post', async () => {
      const pem = await exportSPKI(k1.publicKey);
      await rejects400(call('update', 'config', { jwt_validation_pubkeys: [pem], jwt_supported_algs: 'HS256' }), /invalid jwt_supported_algs/);
      await rejects400(call('update', 'config', { jwt_validation_pubkeys: [pem], oidc_response_types: 'id_token' }), /query response_mode may not be used/);
    });

    it('checks the JWKS URL and discovery document when written (failures are 400s)', async () => {
      await rejects400(call('update', 'config', { jwks_url: `${idp.url}/missing`, jwks_ca_pem: testTlsCert }), /error checking jwks URL: .*HTTP status 404/);
      await rejects400(call('update', 'config', { jwks_url: `${idp.url}/keys` }), /error checking jwks URL/);
      idp.issuerOverride = 'https://elsewhere.example';
      await rejects400(call('update', 'config', { oidc_discovery_url: idp.url, oidc_discovery_ca_pem: testTlsCert }), /error checking oidc discovery URL: .*issuer did not match/);
    });

    it("reads back Vault's field set without the client secret", async () => {
      await call('update', 'config', {
        oidc_discovery_url: idp.url,
        oidc_discovery_ca_pem: testTlsCert,
        oidc_client_id: 'cid',
        oidc_client_secret: 'shh',
        oidc_response_mode: 'form_post',
        oidc_response_types: ['code', 'id_token'],
        default_role: 'Dev',
        provider_config: { provider: 'azure' },
        namespace_in_state: false,
      });
      const d = await data('read', 'config');
      assert.deepEqual(d, {
        oidc_discovery_url: idp.url,
        oidc_discovery_ca_pem: testTlsCert,
        oidc_client_id: 'cid',
        oidc_response_mode: 'form_post',
        oidc_response_types: ['code', 'id_token'],
        default_role: 'dev',
        jwt_validation_pubkeys: [],
        jwt_supported_algs: [],
        jwks_url: '',
        jwks_ca_pem: '',
        jwks_pairs: [],
        bound_issuer: '',
        provider_config: { provider: 'azure' },
        namespace_in_state: false,
        unsupported_critical_cert_extensions: [],
      });
      assert.ok(!JSON.stringify(d).includes('shh'));
    });

    it('defaults namespace_in_state to true for a new config and keeps it on rewrites that omit it', async () => {
      assert.deepEqual(await call('read', 'config'), { kind: 'none' });
      await jwksConfig();
      assert.equal((await data('read', 'config'))['namespace_in_state'], true);
      await call('update', 'config', { jwks_url: `${idp.url}/keys`, jwks_ca_pem: testTlsCert, namespace_in_state: false });
      await jwksConfig();
      assert.equal((await data('read', 'config'))['namespace_in_state'], false);
    });

    it('requires the OIDC client id and secret together, and a discovery URL with them', async () => {
      await rejects400(call('update', 'config', { oidc_discovery_url: idp.url, oidc_discovery_ca_pem: testTlsCert, oidc_client_id: 'x' }), /both 'oidc_client_id' and 'oidc_client_secret'/);
      await rejects400(call('update', 'config', { jwks_url: `${idp.url}/keys`, oidc_client_id: 'x', oidc_client_secret: 'y' }), /'oidc_discovery_url' must be set/);
    });

    it('refuses jwks_pairs combined with jwks_ca_pem or bound_issuer', async () => {
      const jwks_pairs = [{ jwks_url: `${idp.url}/keys`, jwks_ca_pem: testTlsCert }];
      await rejects400(call('update', 'config', { jwks_pairs, jwks_ca_pem: testTlsCert }), /CA PEMs must be provided as part of the 'jwks_pairs'/);
      await rejects400(call('update', 'config', { jwks_pairs, bound_issuer: 'x' }), /Bound issuer is not supported/);
    });
  });

  describe('roles', () => {
    it("reads back Vault's shape with default leeways in integer seconds", async () => {
      await call('update', 'role/Web', {
        role_type: 'jwt',
        user_claim: 'email',
        bound_audiences: 'a,b',
        bound_claims: { team: ['x', 'y'] },
        claim_mappings: { email: 'mail' },
        groups_claim: 'groups',
        token_ttl: '1h',
        token_policies: ['App'],
      });
      assert.deepEqual(await data('read', 'role/web'), {
        role_type: 'jwt',
        bound_audiences: ['a', 'b'],
        bound_subject: '',
        bound_claims_type: 'string',
        bound_claims: { team: ['x', 'y'] },
        claim_mappings: { email: 'mail' },
        user_claim: 'email',
        user_claim_json_pointer: false,
        groups_claim: 'groups',
        allowed_redirect_uris: [],
        callback_mode: 'client',
        oidc_scopes: [],
        verbose_oidc_logging: false,
        max_age: 0,
        clock_skew_leeway: 60,
        expiration_leeway: 150,
        not_before_leeway: 150,
        token_policies: ['app'],
        token_ttl: 3600,
        token_max_ttl: 0,
        token_period: 0,
        token_num_uses: 0,
        token_type: 'default',
        token_no_default_policy: false,
        token_bound_cidrs: [],
        token_explicit_max_ttl: 0,
      });
      assert.deepEqual(await data('list', 'role/'), { keys: ['web'] });
      await call('delete', 'role/web');
      assert.deepEqual(await call('read', 'role/web'), { kind: 'none' });
    });

    it('keeps fields not sent on update', async () => {
      await role('r', { bound_subject: 'me', expiration_leeway: '5m' });
      await call('update', 'role/r', { token_ttl: 60 });
      const d = await data('read', 'role/r');
      assert.equal(d['bound_subject'], 'me');
      assert.equal(d['expiration_leeway'], 300);
      assert.equal(d['token_ttl'], 60);
    });

    it('requires a user claim, a bound constraint for jwt roles and redirect URIs for oidc roles', async () => {
      await rejects400(call('update', 'role/r', { role_type: 'jwt', bound_audiences: 'x' }), /user claim must be defined/);
      await rejects400(call('update', 'role/r', { role_type: 'jwt', user_claim: 'sub' }), /at least one bound constraint/);
      await rejects400(call('update', 'role/r', { user_claim: 'sub', bound_audiences: 'x' }), /allowed_redirect_uris/);
      await rejects400(call('update', 'role/r', { role_type: 'saml', user_claim: 'sub', bound_audiences: 'x' }), /role_type/);
      await call('update', 'role/r', { role_type: 'jwt', user_claim: 'sub', token_bound_cidrs: '10.0.0.0/8' });
    });

    it('rejects a reserved or doubly-used claim_mappings target and non-string glob values', async () => {
      await rejects400(role('r', { claim_mappings: { a: 'role' } }), /reserved/);
      await rejects400(role('r', { claim_mappings: { a: 'x', b: 'x' } }), /multiple keys/);
      await rejects400(role('r', { bound_claims_type: 'glob', bound_claims: { a: 1 } }), /glob/);
      await rejects400(role('r', { bound_claims_type: 'regex' }), /bound_claims_type/);
    });

    it('rejects an unknown callback_mode and warns about verbose OIDC logging', async () => {
      await rejects400(role('r', { callback_mode: 'carrier-pigeon' }), /callback_mode/);
      const res = await role('r', { verbose_oidc_logging: true });
      assert.ok(res.kind === 'none' && res.warnings !== undefined && res.warnings.some((w) => w.includes('verbose_oidc_logging')));
    });

    it('rejects a token_period above the mount max lease TTL', async () => {
      await rejects400(role('r', { token_period: 2764801 }), /token_period/);
    });
  });

  describe('login', () => {
    it('logs in with a JWKS-verified token and returns the grant with alias, metadata and policies', async () => {
      await jwksConfig();
      await role('web', { token_ttl: '30m' });
      const g = await login({ role: 'web', jwt: await sign({}) });
      assert.deepEqual(g.policies, ['app']);
      assert.equal(g.ttl, 1800);
      assert.deepEqual(g.alias, { name: 'user-1', metadata: {} });
      assert.deepEqual(g.metadata, { role: 'web' });
      assert.equal(g.displayName, 'user-1');
      assert.equal(g.groupAliases, undefined);
    });

    it('logs in with keys found through OIDC discovery, checking the discovered issuer', async () => {
      await call('update', 'config', { oidc_discovery_url: idp.url, oidc_discovery_ca_pem: testTlsCert });
      await role('web');
      assert.equal((await login({ role: 'web', jwt: await sign({}) })).alias.name, 'user-1');
      await rejects400(login({ role: 'web', jwt: await sign({ iss: 'https://evil.example' }) }), /invalid issuer/);
    });

    it('logs in with static PEM keys (RSA and EC), ignoring the kid', async () => {
      await call('update', 'config', { jwt_validation_pubkeys: [await exportSPKI(ec.publicKey), await exportSPKI(k1.publicKey)] });
      await role('web');
      assert.equal((await login({ role: 'web', jwt: await sign({ sub: 'a' }, k1, { kid: 'whatever' }) })).alias.name, 'a');
      assert.equal((await login({ role: 'web', jwt: await sign({ sub: 'b' }, ec, {}) })).alias.name, 'b');
      await rejects400(login({ role: 'web', jwt: await sign({}, k2) }), /failed to verify/);
    });

    it('accepts a certificate as a static key', async () => {
      // testTlsCert's key signs nothing here; this only checks a certificate PEM parses as a key.
      await call('update', 'config', { jwt_validation_pubkeys: [testTlsCert, await exportSPKI(k1.publicKey)] });
      await role('web');
      assert.equal((await login({ role: 'web', jwt: await sign({}) })).alias.name, 'user-1');
    });

    it('re-fetches the JWKS when a token names a new kid (key rotation)', async () => {
      await jwksConfig();
      await role('web');
      await login({ role: 'web', jwt: await sign({}) });
      const before = idp.jwksFetches;
      idp.keys = [k1, k2];
      await login({ role: 'web', jwt: await sign({}, k2) });
      assert.equal(idp.jwksFetches, before + 1);
      await login({ role: 'web', jwt: await sign({}, k2) });
      assert.equal(idp.jwksFetches, before + 1, 'the refreshed set is cached');
    });

    it('refuses an unknown kid after one re-fetch and rate-limits further re-fetches', async () => {
      await jwksConfig();
      await role('web');
      await login({ role: 'web', jwt: await sign({}) });
      const before = idp.jwksFetches;
      await rejects400(login({ role: 'web', jwt: await sign({}, k2) }), /failed to verify id token signature/);
      assert.equal(idp.jwksFetches, before + 1);
      for (let i = 0; i < 5; i++) await rejects400(login({ role: 'web', jwt: await sign({}, k2) }));
      assert.equal(idp.jwksFetches, before + 1, 'no re-fetch inside the rate limit');
      clock.advance(5_000);
      idp.keys = [k1, k2];
      await login({ role: 'web', jwt: await sign({}, k2) });
      assert.equal(idp.jwksFetches, before + 2);
    });

    it('reports an unreachable key source as a 400 and does not retry it on every login', async () => {
      await jwksConfig();
      await role('web');
      idp.failing = true;
      const fetchesBefore = idp.jwksFetches;
      await rejects400(login({ role: 'web', jwt: await sign({}) }), /error validating token: failed to fetch JWKS .*HTTP status 500/);
      await rejects400(login({ role: 'web', jwt: await sign({}) }), /HTTP status 500/);
      assert.equal(idp.jwksFetches, fetchesBefore + 1);
      idp.failing = false;
      clock.advance(5_000);
      await login({ role: 'web', jwt: await sign({}) });
    });

    it('shares one JWKS fetch between concurrent logins', async () => {
      await jwksConfig();
      await role('web');
      const before = idp.jwksFetches;
      const jwt = await sign({});
      const grants = await Promise.all(Array.from({ length: 10 }, () => login({ role: 'web', jwt })));
      assert.equal(grants.length, 10);
      assert.equal(idp.jwksFetches, before + 1);
    });

    it('accepts EdDSA and ES256 keys from a JWKS, and a numeric user claim', async () => {
      const ed = await makeKey('ed1', 'EdDSA');
      idp.keys = [k1, ec, ed];
      await jwksConfig();
      await role('web', { user_claim: 'uid' });
      assert.equal((await login({ role: 'web', jwt: await sign({ uid: 42 }, ed) })).alias.name, '42');
      assert.equal((await login({ role: 'web', jwt: await sign({ uid: 'x' }, ec) })).alias.name, 'x');
    });

    it('re-fetches key sets older than an hour, keeping the old keys while the IdP is down', async () => {
      await jwksConfig();
      await role('web');
      await login({ role: 'web', jwt: await sign({}) });
      const before = idp.jwksFetches;
      clock.advance(60 * 60 * 1000);
      idp.failing = true;
      await login({ role: 'web', jwt: await sign({}) });
      assert.equal(idp.jwksFetches, before + 1);
      idp.failing = false;
      idp.keys = [k2];
      clock.advance(5_000);
      await login({ role: 'web', jwt: await sign({}, k2) });
      await rejects400(login({ role: 'web', jwt: await sign({}) }), /failed to verify/);
    });

    it('refuses a bad signature (right kid, wrong key)', async () => {
      await jwksConfig();
      await role('web');
      const forged = { ...k2, kid: 'k1' };
      await rejects400(login({ role: 'web', jwt: await sign({}, forged) }), /failed to verify id token signature/);
    });

    it('refuses expired, not-yet-valid and future-issued tokens', async () => {
      await jwksConfig();
      await role('web', { clock_skew_leeway: -1 });
      await rejects400(login({ role: 'web', jwt: await sign({ iat: nowSec() - 100, exp: nowSec() - 1 }) }), /token is expired/);
      await rejects400(login({ role: 'web', jwt: await sign({ nbf: nowSec() + 10 }) }), /token not yet valid/);
      await rejects400(login({ role: 'web', jwt: await sign({ nbf: nowSec() - 10, iat: nowSec() + 10 }) }), /token issued in the future/);
      // A missing nbf is taken to be iat.
      await rejects400(login({ role: 'web', jwt: await sign({ iat: nowSec() + 10 }) }), /token not yet valid/);
    });

    it('requires at least one of iat, nbf and exp', async () => {
      await jwksConfig();
      await role('web');
      await rejects400(login({ role: 'web', jwt: await sign({ iat: undefined, exp: undefined }) }), /no issued at \(iat\), not before \(nbf\), or expiration time \(exp\)/);
    });

    it('allows 60 s of clock skew on exp by default, measured by the injected clock', async () => {
      await jwksConfig();
      await role('web');
      const jwt = await sign({ iat: nowSec() - 400, exp: nowSec() });
      clock.advance(60_000);
      await login({ role: 'web', jwt });
      clock.advance(1_000);
      await rejects400(login({ role: 'web', jwt }), /token is expired/);
    });

    it('gives a token without exp the expiration leeway (150 s by default) after iat', async () => {
      await jwksConfig();
      await role('web');
      await role('short', { expiration_leeway: 30 });
      const jwt = await sign({ exp: undefined });
      clock.advance(210_000);
      await login({ role: 'web', jwt });
      clock.set(START + 91_000);
      await rejects400(login({ role: 'short', jwt }), /token is expired/);
      clock.advance(120_000);
      await rejects400(login({ role: 'web', jwt }), /token is expired/);
    });

    it('starts a token with only exp at exp minus the not-before leeway (150 s by default)', async () => {
      await jwksConfig();
      await role('web');
      await role('long', { not_before_leeway: '20m' });
      const jwt = await sign({ iat: undefined, exp: nowSec() + 1000 });
      await rejects400(login({ role: 'web', jwt }), /token not yet valid/);
      await login({ role: 'long', jwt });
      clock.advance(790_000);
      await login({ role: 'web', jwt });
    });

    it('honours a configured clock skew leeway', async () => {
      await jwksConfig();
      await role('web', { clock_skew_leeway: '10s' });
      const jwt = await sign({ nbf: nowSec() + 10, iat: nowSec() + 5, exp: nowSec() + 20 });
      await login({ role: 'web', jwt });
      clock.advance(-1_000);
      await rejects400(login({ role: 'web', jwt }), /token not yet valid/);
      clock.set(START + 30_000);
      await login({ role: 'web', jwt });
      clock.advance(1_000);
      await rejects400(login({ role: 'web', jwt }), /token is expired/);
    });

    it('refuses a wrong audience, and any audience when the role binds none', async () => {
      await jwksConfig();
      await role('web');
      await rejects400(login({ role: 'web', jwt: await sign({ aud: 'other' }) }), /invalid audience/);
      assert.equal((await login({ role: 'web', jwt: await sign({ aud: ['other', 'vault'] }) })).alias.name, 'user-1');
      await call('update', 'role/sub', { role_type: 'jwt', user_claim: 'sub', bound_subject: 'user-1' });
      await rejects400(login({ role: 'sub', jwt: await sign({}) }), /audience claim found in JWT but no audiences bound/);
      assert.equal((await login({ role: 'sub', jwt: await sign({ aud: undefined }) })).alias.name, 'user-1');
    });

    it('refuses a wrong issuer and a wrong subject', async () => {
      await jwksConfig();
      await role('web', { bound_subject: 'user-1' });
      await rejects400(login({ role: 'web', jwt: await sign({ iss: 'https://evil.example' }) }), /invalid issuer/);
      await rejects400(login({ role: 'web', jwt: await sign({ sub: 'user-2' }) }), /invalid subject/);
    });

    it('enforces bound_claims as strings, globs and JSON pointers', async () => {
      await jwksConfig();
      await role('str', { bound_claims: { team: ['red', 'blue'], '/org/unit': 'eng' } });
      await role('glob', { bound_claims_type: 'glob', bound_claims: { '/groups/0': 'dev-*' } });
      const ok = await sign({ team: 'blue', org: { unit: 'eng' }, groups: ['dev-web'] });
      await login({ role: 'str', jwt: ok });
      await login({ role: 'glob', jwt: ok });
      await rejects400(login({ role: 'str', jwt: await sign({ team: 'green', org: { unit: 'eng' } }) }), /error validating claims: claim "team"/);
      await rejects400(login({ role: 'str', jwt: await sign({ team: 'red', org: { unit: 'ops' } }) }), /claim "\/org\/unit"/);
      await rejects400(login({ role: 'glob', jwt: await sign({ groups: ['ops-web', 'dev-x'] }) }), /does not match/);
      await rejects400(login({ role: 'glob', jwt: await sign({}) }), /is missing/);
    });

    it('refuses a token without the user claim, and reads it by JSON pointer when asked', async () => {
      await jwksConfig();
      await role('web', { user_claim: 'email' });
      await rejects400(login({ role: 'web', jwt: await sign({}) }), /claim "email" not found/);
      await rejects400(login({ role: 'web', jwt: await sign({ email: { x: 1 } }) }), /could not be converted/);
      await role('ptr', { user_claim: '/nomad/job', user_claim_json_pointer: true });
      assert.equal((await login({ role: 'ptr', jwt: await sign({ nomad: { job: 'web' } }) })).alias.name, 'web');
    });

    it('puts claim_mappings into token and alias metadata, and groups_claim into group aliases', async () => {
      await jwksConfig();
      await role('web', { claim_mappings: { email: 'mail', '/nomad/ns': 'nomad_namespace' }, groups_claim: 'groups' });
      const g = await login({ role: 'web', jwt: await sign({ email: 'a@b.c', nomad: { ns: 'default' }, groups: ['dev', '', 'ops'] }) });
      assert.deepEqual(g.metadata, { mail: 'a@b.c', nomad_namespace: 'default', role: 'web' });
      assert.deepEqual(g.alias.metadata, { mail: 'a@b.c', nomad_namespace: 'default' });
      assert.deepEqual(g.groupAliases, ['dev', 'ops']);
      const single = await login({ role: 'web', jwt: await sign({ groups: 'solo' }) });
      assert.deepEqual(single.groupAliases, ['solo']);
      await rejects400(login({ role: 'web', jwt: await sign({}) }), /"groups" claim not found/);
    });

    it('refuses a jwt login against an oidc role', async () => {
      await jwksConfig();
      await call('update', 'role/ui', { role_type: 'oidc', user_claim: 'sub', allowed_redirect_uris: 'https://app/cb' });
      await rejects400(login({ role: 'ui', jwt: await sign({}) }), /oidc role_type is not allowed/);
    });

    it('falls back to default_role, and says what is missing', async () => {
      await call('update', 'config', { jwks_url: `${idp.url}/keys`, jwks_ca_pem: testTlsCert, default_role: 'Web' });
      await role('web');
      assert.equal((await login({ jwt: await sign({}) })).metadata['role'], 'web');
      await rejects400(login({ role: 'web' }), /missing jwt/);
      await rejects400(login({ role: 'nope', jwt: 'x' }), /role "nope" could not be found/);
      await rejects400(login({ role: 'web', jwt: 'not.a.jwt' }), /malformed token/);
    });

    it('requires configuration and a role', async () => {
      await rejects400(login({ role: 'web', jwt: 'x' }), /could not load configuration/);
      await jwksConfig();
      await rejects400(login({ jwt: 'x' }), /missing role/);
    });

    it('refuses callers outside token_bound_cidrs with permission denied', async () => {
      await jwksConfig();
      await role('web', { token_bound_cidrs: '10.0.0.0/8' });
      const jwt = await sign({});
      await assert.rejects(login({ role: 'web', jwt }, '192.168.1.1'), (e: unknown) => e instanceof CofferError && e.code === 'permission_denied');
      assert.deepEqual((await login({ role: 'web', jwt }, '10.1.2.3')).boundCidrs, ['10.0.0.0/8']);
    });

    it('refuses algorithms outside jwt_supported_algs', async () => {
      await call('update', 'config', { jwks_url: `${idp.url}/keys`, jwks_ca_pem: testTlsCert, jwt_supported_algs: 'ES256' });
      await role('web');
      await rejects400(login({ role: 'web', jwt: await sign({}) }), /token signed with unexpected algorithm/);
    });

    it('drops cached keys when the config changes', async () => {
      await jwksConfig();
      await role('web');
      await login({ role: 'web', jwt: await sign({}) });
      await call('update', 'config', { jwks_url: `${other.url}/keys`, jwks_ca_pem: testTlsCert });
      await rejects400(login({ role: 'web', jwt: await sign({}) }), /failed to verify/);
      await login({ role: 'web', jwt: await sign({}, k2) });
    });

    it('combines several JWKS sources from jwks_pairs', async () => {
      await call('update', 'config', {
        jwks_pairs: [
          { jwks_url: `${idp.url}/keys`, jwks_ca_pem: testTlsCert },
          { jwks_url: `${other.url}/keys`, jwks_ca_pem: testTlsCert },
        ],
      });
      await role('web');
      await login({ role: 'web', jwt: await sign({}, k1) });
      await login({ role: 'web', jwt: await sign({}, k2) });
    });

    it('answers the OIDC redirect flow paths with a clear 400', async () => {
      await rejects400(call('update', 'oidc/auth_url', { role: 'x', redirect_uri: 'https://a/cb' }), /OIDC redirect flow is not supported/);
      await rejects400(call('read', 'oidc/callback'), /OIDC redirect flow is not supported/);
    });
  });
});
