// Conformance: npm hashi-vault-js against a real Coffer server process. Every endpoint the library
// has a method for is driven through that method (it returns `auth`, else `data`, else the body),
// with set-up the library cannot do (mounts, policies) sent as raw requests.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Vault from 'hashi-vault-js';
import type { ServerProcess } from '../src/testing/index.js';
import { rawRequest, sqliteConfigDir, startServerProcess } from '../src/testing/index.js';
import type { DevServer, FakeKubeApiserver } from './fixtures.js';
import { fakeKubeApiserver, jwtSigner, startDevServer } from './fixtures.js';
import { matrixRecorder } from './matrix.js';
import { at, errorStatus, scenario, str } from './scenario.js';

const rec = matrixRecorder('hashi-vault-js');
const s = scenario(rec);

const refusedWith = async (p: PromiseLike<unknown>, status: number): Promise<void> => {
  await assert.rejects(Promise.resolve(p), (e: unknown) => errorStatus(e) === status);
};

// The library's JSDoc-derived types mark optional parameters as required; these are its own shapes.
type TokenParams = Parameters<Vault['createToken']>[1];
type K8sConfig = Parameters<Vault['updateK8sConfig']>[1];
type K8sRole = Parameters<Vault['createK8sRole']>[2];
type PkiRoot = Parameters<Vault['generateRootCA']>[1];

// Its types say some async methods (kubernetes, approle login) return Object, not a promise.
const settle = (v: unknown): Promise<unknown> => Promise.resolve(v);

const client = (url: string): Vault => new Vault({ https: false, baseUrl: `${url}/v1`, timeout: 10_000 });

describe('hashi-vault-js conformance', () => {
  let dev: DevServer | undefined;
  let sealed: ServerProcess | undefined;
  let kube: FakeKubeApiserver | undefined;
  after(async () => {
    rec.save();
    kube?.close();
    await dev?.server.stop();
    await sealed?.stop();
  });

  it('unseals and seals a fresh server (sys/seal-status, unseal, seal, health)', async () => {
    const cfg = await sqliteConfigDir();
    sealed = await startServerProcess([`-config=${cfg.configPath}`]);
    const init = (await rawRequest(sealed.url, 'PUT', '/v1/sys/init', { body: { secret_shares: 3, secret_threshold: 2 } })).json;
    const vault = client(sealed.url);
    const root = str(init, 'root_token');
    await s.step('GET sys/health', async () => {
      // A sealed server answers 503; the library throws with the body.
      await assert.rejects(Promise.resolve(vault.healthCheck()), (e: unknown) => errorStatus(e) === 503 && at(e, 'response', 'data', 'sealed') === true);
      const r: unknown = await vault.healthCheck({ sealedcode: 200 });
      assert.deepEqual([at(r, 'initialized'), at(r, 'sealed')], [true, true]);
    });
    await s.step('GET sys/seal-status', async () => {
      const r: unknown = await vault.sealStatus();
      assert.deepEqual([at(r, 'sealed'), at(r, 't'), at(r, 'n'), at(r, 'progress')], [true, 2, 3, 0]);
    });
    await s.step('POST sys/unseal', async () => {
      const first: unknown = await vault.sysUnseal(root, str(init, 'keys', 0), false, false);
      assert.deepEqual([at(first, 'sealed'), at(first, 'progress')], [true, 1]);
      const reset: unknown = await vault.sysUnseal(root, '', true, false);
      assert.equal(at(reset, 'progress'), 0);
      await vault.sysUnseal(root, str(init, 'keys', 0), false, false);
      const done: unknown = await vault.sysUnseal(root, str(init, 'keys', 2), false, false);
      assert.equal(at(done, 'sealed'), false);
    });
    await s.step('POST sys/seal', async () => {
      await vault.sysSeal(root);
      assert.equal(at(await vault.sealStatus(), 'sealed'), true);
    });
    assert.deepEqual(s.failures(), []);
  });

  it('drives sys, token, userpass, approle, kubernetes and kv v2 on a dev server', async () => {
    dev = await startDevServer();
    const { url, root } = dev;
    const vault = client(url);
    const raw = async (method: string, path: string, body?: unknown): Promise<unknown> => {
      const r = await rawRequest(url, method, `/v1/${path}`, { token: root, ...(body !== undefined ? { body } : {}) });
      if (r.status >= 400) throw new Error(`set-up ${method} ${path}: ${r.status} ${r.text}`);
      return r.json;
    };
    await raw('PUT', 'sys/policies/acl/app', { policy: 'path "secret/data/app/*" { capabilities = ["read", "update", "create"] }\npath "secret/metadata/*" { capabilities = ["list"] }' });
    await raw('PUT', 'sys/policies/acl/extra', { policy: 'path "secret/data/extra" { capabilities = ["read"] }' });

    // --- sys ---------------------------------------------------------------------------------
    await s.step('GET sys/health', async () => {
      const r: unknown = await vault.healthCheck();
      assert.deepEqual([at(r, 'initialized'), at(r, 'sealed'), at(r, 'standby')], [true, false, false]);
      assert.equal(typeof at(r, 'cluster_id'), 'string');
    });
    await s.step('GET sys/seal-status', async () => {
      const r: unknown = await vault.sealStatus();
      assert.deepEqual([at(r, 'sealed'), at(r, 't'), at(r, 'n'), at(r, 'type')], [false, 1, 1, 'shamir']);
    });
    await s.step('GET sys/host-info', async () => {
      const r: unknown = await vault.sysHostInfo(root);
      assert.equal(typeof at(r, 'host', 'hostname'), 'string');
      assert.equal(typeof at(r, 'memory', 'total'), 'number');
      assert.ok(Array.isArray(at(r, 'cpu')));
    });
    await s.step('GET sys/metrics', async () => {
      const r: unknown = await vault.sysMetrics(root, 'prometheus');
      assert.equal(typeof r, 'string');
      assert.match(r as string, /^# (HELP|TYPE) /m);
      const json: unknown = await vault.sysMetrics(root);
      assert.ok(Array.isArray(at(json, 'Gauges')) && Array.isArray(at(json, 'Counters')));
    });
    await s.step('GET sys/internal/counters/:type', async () => {
      const r: unknown = await vault.sysInternalCounters(root, 'tokens');
      assert.ok(Number(at(r, 'counters', 'service_tokens', 'total')) >= 1);
    });

    // --- token ---------------------------------------------------------------------------------
    const t = await s.step('POST auth/token/create', async () => {
      const r: unknown = await vault.createToken(root, { policies: ['app'], ttl: '1h', meta: { app: 'web' }, renewable: true, display_name: 'web' } as unknown as TokenParams);
      assert.deepEqual(at(r, 'policies'), ['app', 'default']);
      assert.equal(at(r, 'lease_duration'), 3600);
      assert.deepEqual(at(r, 'metadata'), { app: 'web' });
      assert.equal(at(r, 'token_type'), 'service');
      return { token: str(r, 'client_token'), accessor: str(r, 'accessor') };
    });
    await s.step('GET auth/token/lookup-self', async () => {
      const r: unknown = await vault.lookupSelfToken(t!.token);
      assert.equal(at(r, 'display_name'), 'token-web');
      const ttl = Number(at(r, 'ttl'));
      assert.ok(ttl > 3500 && ttl <= 3600, `ttl ${ttl}`);
      assert.deepEqual(at(r, 'meta'), { app: 'web' });
    });
    await s.step('POST auth/token/lookup', async () => {
      const r: unknown = await vault.lookupToken(root, t!.token);
      assert.equal(at(r, 'accessor'), t!.accessor);
      assert.deepEqual(at(r, 'policies'), ['app', 'default']);
    });
    await s.step('POST auth/token/renew', async () => {
      const r: unknown = await vault.renewToken(root, t!.token, '2h');
      assert.equal(at(r, 'lease_duration'), 7200);
    });
    await s.step('POST auth/token/renew-self', async () => {
      const r: unknown = await vault.renewSelfToken(t!.token, '600');
      assert.equal(at(r, 'lease_duration'), 600);
      assert.equal(at(r, 'client_token'), t!.token);
    });
    await s.step('LIST auth/token/accessors', async () => {
      const r: unknown = await vault.listAccessors(root);
      assert.ok((at(r, 'keys') as string[]).includes(t!.accessor));
    });
    await s.step('POST auth/token/lookup-accessor', async () => {
      const r: unknown = await vault.lookupAccessor(root, t!.accessor);
      assert.equal(at(r, 'id'), '');
      assert.equal(at(r, 'display_name'), 'token-web');
    });
    await s.step('POST auth/token/renew-accessor', async () => {
      const r: unknown = await vault.renewAccessor(root, t!.accessor, '900');
      assert.equal(at(r, 'lease_duration'), 900);
      assert.equal(at(r, 'client_token'), '');
    });

    // --- capabilities ------------------------------------------------------------------------
    await s.step('POST sys/capabilities', async () => {
      const r: unknown = await vault.sysCapabilities(root, t!.token, ['secret/data/app/x', 'secret/data/other']);
      assert.deepEqual(at(r, 'secret/data/app/x'), ['create', 'read', 'update']);
      assert.deepEqual(at(r, 'secret/data/other'), ['deny']);
    });
    await s.step('POST sys/capabilities-self', async () => {
      const r: unknown = await vault.sysCapabilitiesSelf(t!.token, ['secret/data/app/x']);
      assert.deepEqual(at(r, 'secret/data/app/x'), ['create', 'read', 'update']);
      assert.deepEqual(at(r, 'capabilities'), ['create', 'read', 'update']);
    });

    // --- kv v2 (dev mode's secret/) ------------------------------------------------------------
    await s.step('POST secret/config', async () => {
      await vault.updateKVEngineConfig(root, { max_versions: 5, cas_required: false, delete_version_after: '0s' });
    });
    await s.step('GET secret/config', async () => {
      const r: unknown = await vault.readKVEngineConfig(root);
      assert.deepEqual([at(r, 'max_versions'), at(r, 'cas_required'), at(r, 'delete_version_after')], [5, false, '0s']);
    });
    await s.step('POST secret/data/:path', async () => {
      const r: unknown = await vault.createKVSecret(t!.token, 'app/db', { user: 'u', pass: 'p1' });
      assert.equal(at(r, 'version'), 1);
      const r2: unknown = await vault.updateKVSecret(t!.token, 'app/db', { user: 'u', pass: 'p2' }, 1);
      assert.equal(at(r2, 'version'), 2);
      await refusedWith(vault.updateKVSecret(t!.token, 'app/db', { pass: 'x' }, 1), 400);
    });
    await s.step('GET secret/data/:path', async () => {
      const r: unknown = await vault.readKVSecret(t!.token, 'app/db');
      assert.deepEqual(at(r, 'data'), { user: 'u', pass: 'p2' });
      assert.equal(at(r, 'metadata', 'version'), 2);
      const v1: unknown = await vault.readKVSecret(t!.token, 'app/db', 1);
      assert.deepEqual(at(v1, 'data'), { user: 'u', pass: 'p1' });
    });
    await s.step('LIST secret/metadata/:path', async () => {
      await vault.createKVSecret(root, 'app/cache', { n: '1' });
      const r: unknown = await vault.listKVSecrets(t!.token, 'app');
      assert.deepEqual(at(r, 'keys'), ['cache', 'db']);
    });
    await s.step('POST secret/delete/:path', async () => {
      await vault.deleteVersionsKVSecret(root, 'app/db', [1]);
      const meta: unknown = await vault.readKVSecretMeta(root, 'app/db');
      assert.notEqual(at(meta, 'versions', '1', 'deletion_time'), '');
      await refusedWith(vault.readKVSecret(root, 'app/db', 1), 404);
    });
    await s.step('POST secret/undelete/:path', async () => {
      await vault.undeleteVersionsKVSecret(root, 'app/db', [1]);
      assert.deepEqual(at(await vault.readKVSecret(root, 'app/db', 1), 'data'), { user: 'u', pass: 'p1' });
    });
    await s.step('POST secret/destroy/:path', async () => {
      await vault.destroyVersionsKVSecret(root, 'app/db', [1]);
      const meta: unknown = await vault.readKVSecretMeta(root, 'app/db');
      assert.equal(at(meta, 'versions', '1', 'destroyed'), true);
    });
    await s.step('DELETE secret/data/:path', async () => {
      await vault.deleteLatestVerKVSecret(root, 'app/db');
      await refusedWith(vault.readKVSecret(root, 'app/db'), 404);
      const meta: unknown = await vault.readKVSecretMeta(root, 'app/db');
      assert.notEqual(at(meta, 'versions', '2', 'deletion_time'), '');
    });
    await s.step('POST secret/metadata/:path', async () => {
      await vault.createKVSecretMeta(root, 'app/cache', { max_versions: 3, custom_metadata: { owner: 'ops' } } as unknown as string);
      await vault.updateKVSecretMeta(root, 'app/cache', { cas_required: true } as unknown as string);
    });
    await s.step('GET secret/metadata/:path', async () => {
      const r: unknown = await vault.readKVSecretMeta(root, 'app/cache');
      assert.deepEqual([at(r, 'max_versions'), at(r, 'cas_required'), at(r, 'current_version')], [3, true, 1]);
      assert.deepEqual(at(r, 'custom_metadata'), { owner: 'ops' });
    });
    await s.step('DELETE secret/metadata/:path', async () => {
      await vault.eliminateKVSecret(root, 'app/cache');
      await refusedWith(vault.readKVSecretMeta(root, 'app/cache'), 404);
    });

    // --- userpass -----------------------------------------------------------------------------
    await raw('POST', 'sys/auth/userpass', { type: 'userpass' });
    await s.step('POST auth/userpass/users/:name', async () => {
      await vault.createUserpassUser(root, 'carol', 'pw-1', ['app']);
      await vault.updateUserpassUser(root, 'dave', 'pw-d', ['app']);
    });
    await s.step('GET auth/userpass/users/:name', async () => {
      const r: unknown = await vault.readUserpassUser(root, 'carol');
      assert.deepEqual(at(r, 'token_policies'), ['app']);
      assert.equal(at(r, 'password'), undefined);
    });
    await s.step('LIST auth/userpass/users', async () => {
      assert.deepEqual(at(await vault.listUserpassUsers(root), 'keys'), ['carol', 'dave']);
    });
    await s.step('POST auth/userpass/users/:name/password', async () => {
      await vault.updateUserpassPassword(root, 'carol', 'pw-2');
      await refusedWith(vault.loginWithUserpass('carol', 'pw-1'), 400);
    });
    await s.step('POST auth/userpass/users/:name/policies', async () => {
      await vault.updateUserpassPolicies(root, 'carol', ['app', 'extra']);
      assert.deepEqual(at(await vault.readUserpassUser(root, 'carol'), 'token_policies'), ['app', 'extra']);
    });
    await s.step('POST auth/userpass/login/:name', async () => {
      const r: unknown = await vault.loginWithUserpass('carol', 'pw-2');
      assert.deepEqual(at(r, 'policies'), ['app', 'default', 'extra']);
      assert.deepEqual(at(r, 'metadata'), { username: 'carol' });
      assert.match(str(r, 'client_token'), /^hvs\./);
    });
    await s.step('DELETE auth/userpass/users/:name', async () => {
      await vault.deleteUserpassUser(root, 'dave');
      await refusedWith(vault.readUserpassUser(root, 'dave'), 404);
    });

    // --- approle ------------------------------------------------------------------------------
    await raw('POST', 'sys/auth/approle', { type: 'approle' });
    await raw('POST', 'auth/approle/role/batch', { token_policies: ['app'], token_ttl: '20m', secret_id_ttl: '10m' });
    const roleId = str(await raw('GET', 'auth/approle/role/batch/role-id'), 'data', 'role_id');
    const secret = await s.step('POST auth/approle/role/:name/secret-id', async () => {
      const r: unknown = await vault.generateAppRoleSecretId(root, 'batch', JSON.stringify({ job: 'nightly' }));
      assert.equal(at(r, 'secret_id_ttl'), 600);
      return { id: str(r, 'secret_id'), accessor: str(r, 'secret_id_accessor') };
    });
    await s.step('POST auth/approle/role/:name/secret-id/lookup', async () => {
      const r: unknown = await vault.readAppRoleSecretId(root, 'batch', secret!.id);
      assert.deepEqual(at(r, 'metadata'), { job: 'nightly' });
      assert.equal(at(r, 'secret_id_accessor'), secret!.accessor);
    });
    await s.step('POST auth/approle/login', async () => {
      const r: unknown = await settle(vault.loginWithAppRole(roleId, secret!.id));
      assert.deepEqual(at(r, 'policies'), ['app', 'default']);
      assert.equal(at(r, 'lease_duration'), 1200);
      // The secret ID's metadata joins the token's, as in Vault.
      assert.deepEqual(at(r, 'metadata'), { job: 'nightly', role_name: 'batch' });
    });
    await s.step('POST auth/approle/role/:name/secret-id/destroy', async () => {
      await vault.destroyAppRoleSecretId(root, 'batch', secret!.id);
      await refusedWith(settle(vault.loginWithAppRole(roleId, secret!.id)), 400);
    });

    // --- kubernetes ------------------------------------------------------------------------------
    await raw('POST', 'sys/auth/kubernetes', { type: 'kubernetes' });
    kube = await fakeKubeApiserver(await jwtSigner());
    await s.step('POST auth/kubernetes/config', async () => {
      await vault.updateK8sConfig(root, { kubernetes_host: kube!.url, kubernetes_ca_cert: kube!.caPem, token_reviewer_jwt: kube!.reviewerJwt, issuer: kube!.issuer } as K8sConfig);
    });
    await s.step('GET auth/kubernetes/config', async () => {
      const r: unknown = await settle(vault.readK8sConfig(root));
      assert.equal(at(r, 'kubernetes_host'), kube!.url);
      assert.equal(at(r, 'kubernetes_ca_cert'), kube!.caPem);
      assert.equal(at(r, 'token_reviewer_jwt'), undefined, 'the reviewer JWT is never returned');
    });
    await s.step('POST auth/kubernetes/role/:name', async () => {
      await settle(vault.createK8sRole(root, 'api', { bound_service_account_names: ['api'], bound_service_account_namespaces: ['prod'], token_policies: ['app'], token_ttl: 900 } as unknown as K8sRole));
      await settle(vault.createK8sRole(root, 'spare', { bound_service_account_names: ['*'], bound_service_account_namespaces: ['*'] } as unknown as K8sRole));
    });
    await s.step('GET auth/kubernetes/role/:name', async () => {
      const r: unknown = await settle(vault.readK8sRole(root, 'api'));
      assert.deepEqual(at(r, 'bound_service_account_names'), ['api']);
      assert.deepEqual(at(r, 'token_policies'), ['app']);
      assert.equal(at(r, 'token_ttl'), 900);
    });
    await s.step('LIST auth/kubernetes/role', async () => {
      assert.deepEqual(at(await settle(vault.listK8sRoles(root)), 'keys'), ['api', 'spare']);
    });
    await s.step('POST auth/kubernetes/login', async () => {
      const r: unknown = await settle(vault.loginWithK8s('api', await kube!.serviceAccountToken('prod', 'api')));
      assert.deepEqual(at(r, 'policies'), ['app', 'default']);
      assert.equal(at(r, 'lease_duration'), 900);
      assert.equal(at(r, 'metadata', 'service_account_name'), 'api');
      await refusedWith(settle(vault.loginWithK8s('api', await kube!.serviceAccountToken('prod', 'worker'))), 403);
    });
    await s.step('DELETE auth/kubernetes/role/:name', async () => {
      await settle(vault.deleteK8sRole(root, 'spare'));
      await refusedWith(settle(vault.readK8sRole(root, 'spare')), 404);
    });

    // --- token revocation last: it invalidates what the steps above used ----------------------
    await s.step('POST auth/token/revoke-accessor', async () => {
      const x: unknown = await vault.createToken(root, { policies: ['app'] } as unknown as TokenParams);
      await vault.revokeAccessor(root, str(x, 'accessor'));
      await refusedWith(vault.lookupSelfToken(str(x, 'client_token')), 403);
    });
    await s.step('POST auth/token/revoke', async () => {
      const x: unknown = await vault.createToken(root, { policies: ['app'] } as unknown as TokenParams);
      await vault.revokeToken(root, str(x, 'client_token'));
      await refusedWith(vault.lookupSelfToken(str(x, 'client_token')), 403);
    });
    await s.step('POST auth/token/revoke-self', async () => {
      await vault.revokeSelfToken(t!.token);
      await refusedWith(vault.lookupSelfToken(t!.token), 403);
    });

    // --- what hashi-vault-js can call but Coffer does not implement ---------------------------
    await s.missing('POST auth/ldap/login/:name', 'no ldap auth method', () => settle(vault.loginWithLdap('u', 'p')));
    await s.missing('POST auth/cert/login', 'no cert auth method', () => settle(vault.loginWithCert('c')));
    await s.missing('POST pki/root/generate/:type', 'no pki secrets engine', async () => vault.generateRootCA(root, { type: 'internal', commonName: 'x' } as PkiRoot));
    await s.missing('POST totp/keys/:name', 'no totp secrets engine', async () => vault.createTOTPKey(root, 'k', { generate: true, issuer: 'i', account_name: 'a' }));
    await s.missing('POST ad/config', 'no active directory secrets engine', async () => vault.setADConfig(root, { binddn: 'x', bindpass: 'y', url: 'ldap://127.0.0.1:1' }));
    assert.deepEqual(s.failures(), []);
  });
});
