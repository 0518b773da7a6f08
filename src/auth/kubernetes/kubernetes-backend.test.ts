// Specification of the kubernetes auth method, driven directly (no core) against a fake
// kube-apiserver on 127.0.0.1 over TLS that answers TokenReview (and namespace / service account
// reads) and records every request it receives.

import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CryptoKey, JWTPayload } from 'jose';
import { decodeJwt, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createMemoryStorage } from '../../sdk/index.js';
import type { BackendRequest, BackendResponse, LoginGrant, LogicalBackend, MemoryStorage, Operation } from '../../sdk/index.js';
import type { ManualClock } from '../../shared/index.js';
import { CofferError, createManualClock, silentLogger } from '../../shared/index.js';
import { testTlsCert, testTlsKey } from '../../testing/index.js';
import { createKubernetesBackend, kubernetesFactory } from './index.js';

interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** What the fake API server answers next to a TokenReview (default: derived from the token's claims). */
type ReviewAnswer = { status: number; body: unknown } | undefined;

const REVIEWER_JWT = 'reviewer-token-abc';
const NOW = Date.UTC(2026, 0, 1, 12);
const nowSec = Math.floor(NOW / 1000);

const unusedPassword = (): Promise<string> => Promise.reject(new Error('unused'));

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The service account a token's claims name, as kube-apiserver would report it. */
function accountOf(claims: JWTPayload): { ns: string; name: string; uid: string } {
  const k = claims['kubernetes.io'];
  if (isObject(k)) {
    const sa = isObject(k['serviceaccount']) ? k['serviceaccount'] : {};
    return { ns: String(k['namespace']), name: String(sa['name']), uid: String(sa['uid']) };
  }
  return {
    ns: String(claims['kubernetes.io/serviceaccount/namespace']),
    name: String(claims['kubernetes.io/serviceaccount/service-account.name']),
    uid: String(claims['kubernetes.io/serviceaccount/service-account.uid']),
  };
}

describe('kubernetes auth method', () => {
  let server: Server;
  let host: string;
  const seen: Recorded[] = [];
  let nextReview: ReviewAnswer;
  let namespaceLabels: Record<string, Record<string, string>> = {};
  let saAnnotations: Record<string, string> = {};
  let signingKey: CryptoKey;
  let signingPem: string;
  let otherKey: CryptoKey;
  let emptyDir: string;

  let backend: LogicalBackend;
  let storage: MemoryStorage;
  let clock: ManualClock;

  const answer = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    let body: unknown;
    try {
      body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
    } catch {
      body = raw;
    }
    const path = req.url ?? '';
    seen.push({ method: req.method ?? '', path, headers: req.headers, body });
    if (req.method === 'POST' && path === '/apis/authentication.k8s.io/v1/tokenreviews') {
      if (nextReview !== undefined) return answer(res, nextReview.status, nextReview.body);
      const spec = isObject(body) && isObject(body['spec']) ? body['spec'] : {};
      const token = String(spec['token']);
      const requested = Array.isArray(spec['audiences']) ? (spec['audiences'] as unknown[]) : undefined;
      const sa = accountOf(decodeJwt(token));
      return answer(res, 201, {
        kind: 'TokenReview',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec,
        status: {
          authenticated: true,
          user: {
            username: `system:serviceaccount:${sa.ns}:${sa.name}`,
            uid: sa.uid,
            groups: ['system:serviceaccounts', `system:serviceaccounts:${sa.ns}`, 'system:authenticated'],
          },
          audiences: requested ?? ['https://kubernetes.default.svc.cluster.local'],
        },
      });
    }
    const ns = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && ns !== null) {
      const labels = namespaceLabels[ns[1] ?? ''];
      if (labels === undefined) return answer(res, 404, { kind: 'Status', status: 'Failure', code: 404 });
      return answer(res, 200, { kind: 'Namespace', metadata: { name: ns[1], labels } });
    }
    if (req.method === 'GET' && /^\/api\/v1\/namespaces\/[^/]+\/serviceaccounts\/[^/]+$/.test(path)) {
      return answer(res, 200, { kind: 'ServiceAccount', metadata: { annotations: saAnnotations } });
    }
    answer(res, 404, { kind: 'Status', status: 'Failure', code: 404 });
  };

  before(async () => {
    server = createServer({ cert: testTlsCert, key: testTlsKey }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const pair = await generateKeyPair('RS256', { extractable: true });
    signingKey = pair.privateKey;
    signingPem = await exportSPKI(pair.publicKey);
    otherKey = (await generateKeyPair('RS256')).privateKey;
    emptyDir = await mkdtemp(join(tmpdir(), 'coffer-k8s-empty-'));
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(emptyDir, { recursive: true, force: true });
  });

  const makeBackend = (localCredentialsDir: string): Promise<LogicalBackend> =>
    createKubernetesBackend(
      { storage, mountPath: 'auth/kubernetes/', options: {}, logger: silentLogger, clock, system: { defaultLeaseTtl: () => 2764800, maxLeaseTtl: () => 2764800, generatePassword: unusedPassword } },
      { localCredentialsDir },
    );

  beforeEach(async () => {
    seen.length = 0;
    nextReview = undefined;
    namespaceLabels = {};
    saAnnotations = {};
    storage = createMemoryStorage();
    clock = createManualClock(NOW);
    // An empty directory: "not running in a pod" unless a test says otherwise.
    backend = await makeBackend(emptyDir);
  });

  const call = async (op: Operation, path: string, data?: Record<string, unknown>, remoteAddress = '127.0.0.1'): Promise<BackendResponse> => {
    const req: BackendRequest = { operation: op, path, data, storage, mountPath: 'auth/kubernetes/', caller: undefined, remoteAddress, requestId: 't' };
    if (op === 'update' && (await backend.existenceCheck(req)) === false) req.operation = 'create';
    return backend.handleRequest(req);
  };
  const read = async (path: string): Promise<Record<string, unknown>> => {
    const res = await call('read', path);
    assert.ok(res.kind === 'data' && res.data !== null, `expected data from ${path}`);
    return res.data;
  };
  const login = async (body: Record<string, unknown>, remoteAddress?: string): Promise<LoginGrant> => {
    const res = await call('update', 'login', body, remoteAddress);
    assert.ok(res.kind === 'data' && res.data === null && res.grant !== undefined);
    return res.grant;
  };
  const rejectsWith = (p: Promise<unknown>, code: CofferError['code'], message?: string): Promise<void> =>
    assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof CofferError, String(e));
      assert.equal(e.code, code);
      if (message !== undefined) assert.equal(e.message, message);
      return true;
    });
  const deniedLogin = (body: Record<string, unknown>, message = 'permission denied'): Promise<void> => rejectsWith(call('update', 'login', body), 'permission_denied', message);

  const configure = async (extra: Record<string, unknown> = {}): Promise<void> => {
    await call('update', 'config', { kubernetes_host: host, kubernetes_ca_cert: testTlsCert, token_reviewer_jwt: REVIEWER_JWT, ...extra });
  };
  const writeRole = (name: string, body: Record<string, unknown>): Promise<BackendResponse> =>
    call('update', `role/${name}`, { bound_service_account_names: 'app', bound_service_account_namespaces: 'prod', ...body });

  /** A projected (bound) service account token. */
  const projected = (o: { ns?: string; name?: string; uid?: string; aud?: string[]; exp?: number; key?: CryptoKey } = {}): Promise<string> => {
    const ns = o.ns ?? 'prod';
    const name = o.name ?? 'app';
    const jwt = new SignJWT({
      'kubernetes.io': { namespace: ns, serviceaccount: { name, uid: o.uid ?? 'uid-1234' }, pod: { name: 'app-7c9', uid: 'pod-uid' } },
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://kubernetes.default.svc.cluster.local')
      .setSubject(`system:serviceaccount:${ns}:${name}`)
      .setAudience(o.aud ?? ['vault'])
      .setIssuedAt(nowSec - 60)
      .setNotBefore(nowSec - 60)
      .setExpirationTime(o.exp ?? nowSec + 3600);
    return jwt.sign(o.key ?? signingKey);
  };
  /** A legacy secret-based service account token (no aud, no exp). */
  const legacy = (o: { ns?: string; name?: string; uid?: string } = {}): Promise<string> => {
    const ns = o.ns ?? 'prod';
    const name = o.name ?? 'app';
    return new SignJWT({
      'kubernetes.io/serviceaccount/namespace': ns,
      'kubernetes.io/serviceaccount/secret.name': `${name}-token-x7k2p`,
      'kubernetes.io/serviceaccount/service-account.name': name,
      'kubernetes.io/serviceaccount/service-account.uid': o.uid ?? 'uid-legacy',
    })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer('kubernetes/serviceaccount')
      .setSubject(`system:serviceaccount:${ns}:${name}`)
      .sign(signingKey);
  };
  const reviews = (): Recorded[] => seen.filter((r) => r.path === '/apis/authentication.k8s.io/v1/tokenreviews');

  it('declares login unauthenticated and is usable as a BackendFactory', async () => {
    assert.deepEqual(backend.specialPaths.unauthenticated, ['login']);
    const b = await kubernetesFactory({ localCredentialsDir: emptyDir })({
      storage,
      mountPath: 'auth/k/',
      options: {},
      logger: silentLogger,
      clock,
      system: { defaultLeaseTtl: () => 0, maxLeaseTtl: () => 0, generatePassword: unusedPassword },
    });
    assert.deepEqual(b.specialPaths.unauthenticated, ['login']);
  });

  describe('config', () => {
    it('stores the config without calling the API server and never reads back the reviewer JWT', async () => {
      await configure({ pem_keys: [signingPem] });
      assert.equal(seen.length, 0);
      assert.deepEqual(await read('config'), {
        kubernetes_host: host,
        kubernetes_ca_cert: testTlsCert,
        pem_keys: [signingPem],
        issuer: '',
        disable_iss_validation: true,
        disable_local_ca_jwt: false,
        token_reviewer_jwt_set: true,
        use_annotations_as_alias_metadata: false,
      });
      assert.ok(!storage.dump().includes('token_reviewer_jwt"'), 'stored under the internal name only');
    });

    it('reports token_reviewer_jwt_set false when no reviewer JWT is configured', async () => {
      await call('update', 'config', { kubernetes_host: host });
      assert.equal((await read('config'))['token_reviewer_jwt_set'], false);
    });

    it('answers a read of an unwritten config with no data', async () => {
      assert.deepEqual(await call('read', 'config'), { kind: 'none' });
    });

    it('requires kubernetes_host', async () => {
      await rejectsWith(call('update', 'config', { kubernetes_ca_cert: testTlsCert }), 'invalid_request', 'no host provided');
    });

    it('rejects a kubernetes_ca_cert without a parseable certificate', async () => {
      await rejectsWith(call('update', 'config', { kubernetes_host: host, kubernetes_ca_cert: 'not a cert' }), 'invalid_request');
      const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
      await rejectsWith(call('update', 'config', { kubernetes_host: host, kubernetes_ca_cert: broken }), 'invalid_request');
    });

    it('rejects pem_keys that are not PEM public keys or certificates', async () => {
      await rejectsWith(call('update', 'config', { kubernetes_host: host, pem_keys: ['garbage'] }), 'invalid_request');
    });

    it('accepts a certificate among pem_keys', async () => {
      await call('update', 'config', { kubernetes_host: host, pem_keys: [testTlsCert] });
      assert.deepEqual((await read('config'))['pem_keys'], [testTlsCert]);
    });
  });

  describe('roles', () => {
    it("reads a role back in Vault's shape with defaults, lower-casing its name", async () => {
      const res = await call('update', 'role/Demo', {
        bound_service_account_names: 'app,web',
        bound_service_account_namespaces: ['prod'],
        audience: 'vault',
        token_policies: 'read,write',
        token_ttl: '1h',
      });
      assert.equal(res.kind, 'none');
      assert.deepEqual(await read('role/demo'), {
        bound_service_account_names: ['app', 'web'],
        bound_service_account_namespaces: ['prod'],
        bound_service_account_namespace_selector: '',
        audience: 'vault',
        alias_name_source: 'serviceaccount_uid',
        token_policies: ['read', 'write'],
        token_ttl: 3600,
        token_max_ttl: 0,
        token_period: 0,
        token_num_uses: 0,
        token_type: 'default',
        token_no_default_policy: false,
        token_bound_cidrs: [],
        token_explicit_max_ttl: 0,
      });
    });

    it('lists, updates in place and deletes roles', async () => {
      await writeRole('a', {});
      await writeRole('b', {});
      assert.deepEqual(await call('list', 'role/'), { kind: 'data', data: { keys: ['a', 'b'] } });
      await call('update', 'role/a', { token_policies: 'x' });
      const a = await read('role/a');
      assert.deepEqual(a['bound_service_account_names'], ['app']);
      assert.deepEqual(a['token_policies'], ['x']);
      await call('delete', 'role/a');
      assert.deepEqual(await call('read', 'role/a'), { kind: 'none' });
      assert.deepEqual(await call('list', 'role'), { kind: 'data', data: { keys: ['b'] } });
    });

    it('warns when a role has no audience', async () => {
      const res = await writeRole('noaud', {});
      assert.ok(res.kind === 'none' && res.warnings !== undefined && res.warnings.some((w) => w.includes('audience')));
      assert.deepEqual(await writeRole('withaud', { audience: 'vault' }), { kind: 'none' });
    });

    it('requires bound names, and bound namespaces unless a namespace selector is set', async () => {
      await rejectsWith(call('update', 'role/r', { bound_service_account_namespaces: 'prod' }), 'invalid_request', '"bound_service_account_names" can not be empty');
      await rejectsWith(call('update', 'role/r', { bound_service_account_names: 'app' }), 'invalid_request');
      await call('update', 'role/r', { bound_service_account_names: 'app', bound_service_account_namespace_selector: '{"matchLabels":{"stage":"prod"}}', audience: 'v' });
      assert.equal((await read('role/r'))['bound_service_account_namespace_selector'], '{"matchLabels":{"stage":"prod"}}');
    });

    it('rejects "*" mixed with other bindings', async () => {
      await rejectsWith(writeRole('r', { bound_service_account_names: '*,app' }), 'invalid_request');
      await rejectsWith(writeRole('r', { bound_service_account_namespaces: ['prod', '*'] }), 'invalid_request');
    });

    it('rejects an unknown alias_name_source, a malformed selector and invalid token fields', async () => {
      await rejectsWith(writeRole('r', { alias_name_source: 'serviceaccount_email' }), 'invalid_request');
      await rejectsWith(writeRole('r', { bound_service_account_namespace_selector: 'matchLabels: [' }), 'invalid_request');
      await rejectsWith(writeRole('r', { bound_service_account_namespace_selector: '{"matchExpressions":[{"key":"a","operator":"Near"}]}' }), 'invalid_request');
      await rejectsWith(writeRole('r', { token_ttl: '2h', token_max_ttl: '1h' }), 'invalid_request');
      await rejectsWith(writeRole('r', { token_period: 2764801 }), 'invalid_request');
    });

    it('rejects an invalid role name', async () => {
      await rejectsWith(writeRole('-bad-', {}), 'invalid_request');
    });
  });

  describe('login', () => {
    it('sends the TokenReview kube-apiserver expects and grants a token for the service account', async () => {
      await configure();
      await writeRole('demo', { audience: 'vault', token_policies: 'app', token_ttl: 3600 });
      const jwt = await projected();
      const grant = await login({ role: 'demo', jwt });

      const r = reviews();
      assert.equal(seen.length, 1);
      assert.equal(r.length, 1);
      const req = r[0];
      assert.ok(req !== undefined);
      assert.equal(req.method, 'POST');
      assert.equal(req.path, '/apis/authentication.k8s.io/v1/tokenreviews');
      assert.equal(req.headers['authorization'], `Bearer ${REVIEWER_JWT}`);
      assert.equal(req.headers['content-type'], 'application/json');
      assert.equal(req.headers['accept'], 'application/json');
      assert.ok(isObject(req.body));
      assert.equal(req.body['apiVersion'], 'authentication.k8s.io/v1');
      assert.equal(req.body['kind'], 'TokenReview');
      assert.deepEqual(req.body['spec'], { token: jwt, audiences: ['vault'] });

      const saMeta = {
        service_account_name: 'app',
        service_account_namespace: 'prod',
        service_account_secret_name: '',
        service_account_uid: 'uid-1234',
      };
      assert.deepEqual(grant.metadata, { role: 'demo', ...saMeta });
      assert.deepEqual(grant.alias, { name: 'uid-1234', metadata: saMeta });
      assert.equal(grant.displayName, 'prod-app');
      assert.deepEqual(grant.policies, ['app']);
      assert.equal(grant.ttl, 3600);
      assert.equal(grant.tokenType, 'default');
    });

    it('accepts a legacy secret-based token, reporting its secret name and sending no audiences', async () => {
      await configure();
      await writeRole('legacy', {});
      const jwt = await legacy();
      const grant = await login({ role: 'legacy', jwt });
      assert.deepEqual(reviews()[0]?.body, {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        metadata: { creationTimestamp: null },
        spec: { token: jwt },
        status: { user: {} },
      });
      assert.equal(grant.metadata['service_account_secret_name'], 'app-token-x7k2p');
      assert.equal(grant.alias.name, 'uid-legacy');
    });

    it("asks for the token's own audiences when the role sets none", async () => {
      await configure();
      await writeRole('demo', {});
      await login({ role: 'demo', jwt: await projected({ aud: ['https://kubernetes.default.svc', 'other'] }) });
      const body = reviews()[0]?.body;
      assert.ok(isObject(body) && isObject(body['spec']));
      assert.deepEqual(body['spec']['audiences'], ['https://kubernetes.default.svc', 'other']);
    });

    it('names the alias <namespace>/<name> when alias_name_source is serviceaccount_name', async () => {
      await configure();
      await writeRole('byname', { alias_name_source: 'serviceaccount_name' });
      const grant = await login({ role: 'byname', jwt: await projected() });
      assert.equal(grant.alias.name, 'prod/app');
      assert.equal((await read('role/byname'))['alias_name_source'], 'serviceaccount_name');
    });

    it('finds roles case-insensitively', async () => {
      await configure();
      await writeRole('demo', {});
      const grant = await login({ role: 'DEMO', jwt: await projected() });
      assert.equal(grant.metadata['role'], 'demo');
    });

    it('requires a role and a jwt and names an unknown role', async () => {
      await configure();
      await rejectsWith(call('update', 'login', { jwt: 'x' }), 'invalid_request', 'missing role');
      await rejectsWith(call('update', 'login', { role: 'demo' }), 'invalid_request', 'missing jwt');
      await rejectsWith(call('update', 'login', { role: 'nope', jwt: 'x' }), 'invalid_request', 'invalid role name "nope"');
    });

    it('fails when the mount is not configured', async () => {
      await writeRole('demo', {});
      await rejectsWith(call('update', 'login', { role: 'demo', jwt: await projected() }), 'invalid_request');
    });

    describe('when the API server does not confirm the token', () => {
      const cases: [string, ReviewAnswer][] = [
        ['the token is not authenticated', { status: 201, body: { kind: 'TokenReview', status: { authenticated: false } } }],
        ['the review reports an error', { status: 201, body: { kind: 'TokenReview', status: { authenticated: true, error: 'token has been invalidated' } } }],
        ['the reviewer is unauthorized (401)', { status: 401, body: { kind: 'Status', status: 'Failure', code: 401 } }],
        ['the reviewer is forbidden (403)', { status: 403, body: { kind: 'Status', status: 'Failure', code: 403 } }],
        ['the server fails (500)', { status: 500, body: { kind: 'Status', status: 'Failure', code: 500 } }],
        ['the answer is a failed Status object', { status: 200, body: { kind: 'Status', status: 'Failure', message: 'nope' } }],
        [
          'the audiences do not match',
          { status: 201, body: { status: { authenticated: true, user: { username: 'system:serviceaccount:prod:app', uid: 'uid-1234' }, audiences: ['other'] } } },
        ],
        [
          'the username names another service account',
          { status: 201, body: { status: { authenticated: true, user: { username: 'system:serviceaccount:prod:other', uid: 'uid-1234' }, audiences: ['vault'] } } },
        ],
        [
          'the username names another namespace',
          { status: 201, body: { status: { authenticated: true, user: { username: 'system:serviceaccount:dev:app', uid: 'uid-1234' }, audiences: ['vault'] } } },
        ],
        [
          'the username is not a service account',
          { status: 201, body: { status: { authenticated: true, user: { username: 'alice', uid: 'uid-1234' }, audiences: ['vault'] } } },
        ],
        [
          'the uid differs',
          { status: 201, body: { status: { authenticated: true, user: { username: 'system:serviceaccount:prod:app', uid: 'uid-9999' }, audiences: ['vault'] } } },
        ],
        ['the answer is not JSON', { status: 200, body: 'ok' }],
      ];
      for (const [what, reply] of cases) {
        it(`denies the login when ${what}`, async () => {
          await configure();
          await writeRole('demo', { audience: 'vault' });
          nextReview = reply;
          await deniedLogin({ role: 'demo', jwt: await projected() });
          assert.equal(reviews().length, 1);
        });
      }

      it('denies the login when the API server cannot be reached', async () => {
        const closed = createServer({ cert: testTlsCert, key: testTlsKey });
        await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
        const port = (closed.address() as AddressInfo).port;
        await new Promise<void>((resolve) => closed.close(() => resolve()));
        await call('update', 'config', { kubernetes_host: `https://127.0.0.1:${port}`, kubernetes_ca_cert: testTlsCert, token_reviewer_jwt: REVIEWER_JWT });
        await writeRole('demo', {});
        await deniedLogin({ role: 'demo', jwt: await projected() });
      });

      it('denies the login when the API server certificate is not trusted', async () => {
        await call('update', 'config', { kubernetes_host: host, token_reviewer_jwt: REVIEWER_JWT, disable_local_ca_jwt: true });
        await writeRole('demo', {});
        await deniedLogin({ role: 'demo', jwt: await projected() });
      });
    });

    describe('before calling the API server', () => {
      it('refuses a service account name the role does not bind', async () => {
        await configure();
        await writeRole('demo', {});
        await deniedLogin({ role: 'demo', jwt: await projected({ name: 'intruder' }) }, 'service account name not authorized');
        assert.equal(seen.length, 0);
      });

      it('refuses a namespace the role does not bind', async () => {
        await configure();
        await writeRole('demo', {});
        await deniedLogin({ role: 'demo', jwt: await projected({ ns: 'dev' }) }, 'namespace not authorized');
        assert.equal(seen.length, 0);
      });

      it('refuses a token whose aud lacks the role audience', async () => {
        await configure();
        await writeRole('demo', { audience: 'vault' });
        await deniedLogin({ role: 'demo', jwt: await projected({ aud: ['https://kubernetes.default.svc'] }) });
        await deniedLogin({ role: 'demo', jwt: await legacy() });
        assert.equal(seen.length, 0);
      });

      it('refuses an expired token by the injected clock, with a minute of leeway', async () => {
        await configure();
        await writeRole('demo', {});
        const jwt = await projected({ exp: nowSec + 30 });
        clock.advance(80_000);
        await login({ role: 'demo', jwt });
        clock.advance(20_000);
        const before = seen.length;
        await deniedLogin({ role: 'demo', jwt });
        assert.equal(seen.length, before);
      });

      it('refuses something that is not a JWT or uses an unsupported algorithm', async () => {
        await configure();
        await writeRole('demo', {});
        await deniedLogin({ role: 'demo', jwt: 'not-a-jwt' });
        const hs = await new SignJWT({ 'kubernetes.io': { namespace: 'prod', serviceaccount: { name: 'app', uid: 'u' } } })
          .setProtectedHeader({ alg: 'HS256' })
          .sign(new Uint8Array(32));
        await deniedLogin({ role: 'demo', jwt: hs });
        assert.equal(seen.length, 0);
      });

      it('refuses a caller outside token_bound_cidrs', async () => {
        await configure();
        await writeRole('demo', { token_bound_cidrs: '10.0.0.0/8' });
        await rejectsWith(call('update', 'login', { role: 'demo', jwt: await projected() }, '192.168.1.1'), 'permission_denied');
        assert.equal(seen.length, 0);
        const grant = await login({ role: 'demo', jwt: await projected() }, '10.1.2.3');
        assert.deepEqual(grant.boundCidrs, ['10.0.0.0/8']);
      });
    });

    it('matches names and namespaces as globs', async () => {
      await configure();
      await writeRole('glob', { bound_service_account_names: 'app-*,*-worker', bound_service_account_namespaces: 'team-*' });
      await login({ role: 'glob', jwt: await projected({ name: 'app-web', ns: 'team-a' }) });
      await login({ role: 'glob', jwt: await projected({ name: 'batch-worker', ns: 'team-b' }) });
      await deniedLogin({ role: 'glob', jwt: await projected({ name: 'db', ns: 'team-a' }) }, 'service account name not authorized');
      await deniedLogin({ role: 'glob', jwt: await projected({ name: 'app-web', ns: 'prod' }) }, 'namespace not authorized');
      await writeRole('any', { bound_service_account_names: '*', bound_service_account_namespaces: '*' });
      await login({ role: 'any', jwt: await projected({ name: 'whatever', ns: 'anywhere' }) });
    });

    it('admits a namespace by its labels when the role has a namespace selector', async () => {
      await configure();
      await call('update', 'role/sel', {
        bound_service_account_names: 'app',
        bound_service_account_namespaces: 'prod',
        bound_service_account_namespace_selector: '{"matchLabels":{"stage":"prod"},"matchExpressions":[{"key":"team","operator":"In","values":["a","b"]}]}',
      });
      namespaceLabels = { shop: { stage: 'prod', team: 'a' }, lab: { stage: 'dev', team: 'a' } };
      await login({ role: 'sel', jwt: await projected({ ns: 'shop' }) });
      const nsReq = seen.find((r) => r.path === '/api/v1/namespaces/shop');
      assert.equal(nsReq?.method, 'GET');
      assert.equal(nsReq.headers['authorization'], `Bearer ${REVIEWER_JWT}`);
      await deniedLogin({ role: 'sel', jwt: await projected({ ns: 'lab' }) }, 'namespace not authorized');
      await deniedLogin({ role: 'sel', jwt: await projected({ ns: 'unknown' }) }, 'namespace not authorized');
      // The listed namespace needs no lookup.
      seen.length = 0;
      await login({ role: 'sel', jwt: await projected({ ns: 'prod' }) });
      assert.deepEqual(
        seen.map((r) => r.path),
        ['/apis/authentication.k8s.io/v1/tokenreviews'],
      );
    });

    it('copies alias-metadata annotations into the alias metadata when configured', async () => {
      await configure({ use_annotations_as_alias_metadata: true });
      await writeRole('demo', {});
      saAnnotations = { 'vault.hashicorp.com/alias-metadata-team': 'payments', 'unrelated/annotation': 'x' };
      const grant = await login({ role: 'demo', jwt: await projected() });
      assert.equal(grant.alias.metadata?.['team'], 'payments');
      assert.equal(grant.alias.metadata?.['unrelated/annotation'], undefined);
      assert.equal(grant.alias.metadata?.['service_account_uid'], 'uid-1234');
      assert.ok(seen.some((r) => r.method === 'GET' && r.path === '/api/v1/namespaces/prod/serviceaccounts/app'));
      saAnnotations = { 'vault.hashicorp.com/alias-metadata-service_account_uid': 'spoofed' };
      await rejectsWith(call('update', 'login', { role: 'demo', jwt: await projected() }), 'invalid_request');
    });

    describe('issuer validation', () => {
      it('ignores iss by default', async () => {
        await configure();
        await writeRole('demo', {});
        await login({ role: 'demo', jwt: await projected() });
      });

      it('checks iss against the configured issuer when validation is enabled', async () => {
        await configure({ disable_iss_validation: false, issuer: 'https://kubernetes.default.svc.cluster.local' });
        await writeRole('demo', {});
        await login({ role: 'demo', jwt: await projected() });
        await deniedLogin({ role: 'demo', jwt: await legacy() });
      });

      it('expects the legacy issuer when validation is enabled without an issuer', async () => {
        await configure({ disable_iss_validation: false });
        await writeRole('demo', {});
        await login({ role: 'demo', jwt: await legacy() });
        await deniedLogin({ role: 'demo', jwt: await projected() });
      });
    });

    describe('with pem_keys', () => {
      it('accepts a token signed by a configured key', async () => {
        await configure({ pem_keys: [signingPem] });
        await writeRole('demo', {});
        await login({ role: 'demo', jwt: await projected() });
        assert.equal(reviews().length, 1);
      });

      it('refuses a token signed by another key without calling the API server', async () => {
        await configure({ pem_keys: [signingPem] });
        await writeRole('demo', {});
        await deniedLogin({ role: 'demo', jwt: await projected({ key: otherKey }) });
        const jwt = await projected();
        const [h, p] = jwt.split('.');
        await deniedLogin({ role: 'demo', jwt: `${h ?? ''}.${p ?? ''}.${'A'.repeat(342)}` });
        assert.equal(seen.length, 0);
      });

      it('does not check signatures when no pem_keys are configured', async () => {
        await configure();
        await writeRole('demo', {});
        await login({ role: 'demo', jwt: await projected({ key: otherKey }) });
      });
    });

    describe('reviewer credentials', () => {
      let podDir: string;
      beforeEach(async () => {
        podDir = await mkdtemp(join(tmpdir(), 'coffer-k8s-pod-'));
      });
      afterEach(async () => {
        await rm(podDir, { recursive: true, force: true });
      });

      it("uses the pod's own token and CA, re-read at each login, when the config sets neither", async () => {
        await writeFile(join(podDir, 'token'), 'pod-token-1\n');
        await writeFile(join(podDir, 'ca.crt'), testTlsCert);
        backend = await makeBackend(podDir);
        await call('update', 'config', { kubernetes_host: host });
        await writeRole('demo', {});
        await login({ role: 'demo', jwt: await projected() });
        assert.equal(reviews()[0]?.headers['authorization'], 'Bearer pod-token-1');
        await writeFile(join(podDir, 'token'), 'pod-token-2');
        await login({ role: 'demo', jwt: await projected() });
        assert.equal(reviews()[1]?.headers['authorization'], 'Bearer pod-token-2');
      });

      it("prefers the configured reviewer JWT to the pod's token", async () => {
        await writeFile(join(podDir, 'token'), 'pod-token');
        backend = await makeBackend(podDir);
        await configure();
        await writeRole('demo', {});
        await login({ role: 'demo', jwt: await projected() });
        assert.equal(reviews()[0]?.headers['authorization'], `Bearer ${REVIEWER_JWT}`);
      });

      it("uses the client's own JWT when there is no reviewer JWT and no pod token", async () => {
        await call('update', 'config', { kubernetes_host: host, kubernetes_ca_cert: testTlsCert });
        await writeRole('demo', {});
        const jwt = await projected();
        await login({ role: 'demo', jwt });
        assert.equal(reviews()[0]?.headers['authorization'], `Bearer ${jwt}`);
      });

      it('ignores the pod files when disable_local_ca_jwt is set', async () => {
        await writeFile(join(podDir, 'token'), 'pod-token');
        await writeFile(join(podDir, 'ca.crt'), testTlsCert);
        backend = await makeBackend(podDir);
        await call('update', 'config', { kubernetes_host: host, kubernetes_ca_cert: testTlsCert, disable_local_ca_jwt: true });
        await writeRole('demo', {});
        const jwt = await projected();
        await login({ role: 'demo', jwt });
        assert.equal(reviews()[0]?.headers['authorization'], `Bearer ${jwt}`);
      });
    });
  });
});
